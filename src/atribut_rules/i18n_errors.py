"""The catalogue of error texts: every error atribut-rules raises on purpose, in ``id`` and ``en``.

One entry per code (``reports.unreadable``, ``csv.broken_quote``, ``zones.unknown_category``,
``rules.schema``, ``output.exists_as_input`` ...), each a ``str.format`` template per
language with the same named parameters; a code that ends in ``_hint`` is a hint. The
English template is the line ``str(error)`` has always shown. :mod:`atribut_rules.i18n`
renders them (``text_in``) with the engine's other texts; :class:`atribut_rules.errors.Text`
carries a code and its parameters on an error.
"""

from __future__ import annotations

ERROR_TEXTS: dict[str, dict[str, str]] = {
    "cases.bad_coordinates": {"id": "koordinat tidak sah", "en": "bad coordinates"},
    "cases.cannot_read_rule_test": {
        "id": "berkas uji aturan tidak dapat dibaca: {strerror}",
        "en": "cannot read rule test file: {strerror}",
    },
    "cases.case_must_mapping": {"id": "sebuah kasus harus berupa mapping", "en": "a case must be a mapping"},
    "cases.case_needs_expect_report": {
        "id": "sebuah kasus memerlukan 'expect': id laporan -> {{aturan: status}}",
        "en": "a case needs 'expect': report id -> {{rule: status}}",
    },
    "cases.case_needs_least_one": {
        "id": "sebuah kasus memerlukan paling sedikit satu laporan",
        "en": "a case needs at least one report",
    },
    "cases.case_needs_name": {"id": "sebuah kasus memerlukan nama", "en": "a case needs a name"},
    "cases.case_unknown_key": {
        "id": "kasus: kunci {unknown!r} tidak dikenal",
        "en": "case: unknown key {unknown!r}",
    },
    "cases.cases_must_non_empty": {
        "id": "'cases' harus berupa daftar yang tidak kosong",
        "en": "'cases' must be a non-empty list",
    },
    "cases.defaults_must_mapping_report": {
        "id": "'defaults' harus berupa mapping kolom laporan",
        "en": "'defaults' must be a mapping of report fields",
    },
    "cases.duplicate_case_name": {"id": "nama kasus {name!r} ganda", "en": "duplicate case name {name!r}"},
    "cases.duplicate_report_id": {
        "id": "id laporan {record!r} ganda",
        "en": "duplicate report id {record!r}",
    },
    "cases.expect_names_report_which": {
        "id": "expect menyebut laporan {rid!r}, yang tidak ada dalam kasus",
        "en": "expect names report {rid!r}, which the case does not list",
    },
    "cases.expect_per_report_must": {
        "id": "expect per laporan harus berupa mapping aturan -> status",
        "en": "expect per report must be a mapping rule -> status",
    },
    "cases.expected_status_use_one": {
        "id": "status {status!r} yang diharapkan untuk {rule_id}: gunakan salah satu dari {names}",
        "en": "expected status {status!r} for {rule_id}: use one of {names}",
    },
    "cases.frame_needs_origin_lon": {
        "id": "frame memerlukan origin: [lon, lat]",
        "en": "frame needs origin: [lon, lat]",
    },
    "cases.known_hint": {"id": "yang dikenal: {sorted}", "en": "known: {sorted}"},
    "cases.needs_metre_frame": {"id": "'at' memerlukan frame dalam meter", "en": "'at' needs a metre frame"},
    "cases.permit_must_mapping": {
        "id": "sebuah izin harus berupa mapping",
        "en": "a permit must be a mapping",
    },
    "cases.permits_must_list_permits": {
        "id": "'permits' harus berupa daftar izin",
        "en": "'permits' must be a list of permits",
    },
    "cases.position_must_east_m": {
        "id": "posisi harus [east_m, north_m], ditemukan {value!r}",
        "en": "a position must be [east_m, north_m], found {value!r}",
    },
    "cases.repeat_must_whole_number": {
        "id": "'repeat' harus bilangan bulat dari 1 sampai {max_repeat}",
        "en": "'repeat' must be a whole number from 1 to {max_repeat}",
    },
    "cases.report_must_mapping_id": {
        "id": "sebuah laporan harus berupa mapping dengan id",
        "en": "a report must be a mapping with an id",
    },
    "cases.rule_disabled": {"id": "aturan {rule_id!r} dinonaktifkan", "en": "rule {rule_id!r} is disabled"},
    "cases.rule_not_in_set": {
        "id": "aturan {rule_id!r} tidak ada dalam himpunan aturan",
        "en": "rule {rule_id!r} is not in the rule set",
    },
    "cases.rule_test_file_must": {
        "id": "berkas uji aturan harus berupa mapping di tingkat teratas",
        "en": "a rule test file must be a mapping at the top",
    },
    "cases.rules_must_name_rule": {
        "id": "'rules' harus menyebut himpunan aturan (builtin:NAMA atau path)",
        "en": "'rules' must name the rule set (builtin:NAME or a path)",
    },
    "cases.schema_must": {"id": "schema harus {tests_schema!r}", "en": "schema must be {tests_schema!r}"},
    "cases.step_needs": {"id": "'step' memerlukan 'at'", "en": "'step' needs 'at'"},
    "cases.step_needs_repeat": {"id": "'step' memerlukan 'repeat'", "en": "'step' needs 'repeat'"},
    "cases.unknown_key": {"id": "kunci {unknown!r} tidak dikenal", "en": "unknown key {unknown!r}"},
    "cases.zones_must_geojson_featurecollection": {
        "id": "zones harus berupa GeoJSON FeatureCollection",
        "en": "zones must be a GeoJSON FeatureCollection",
    },
    "cli.dask_blocksize_bad": {
        "id": "--dask-blocksize {value!r} bukan ukuran",
        "en": "--dask-blocksize {value!r} is not a size",
    },
    "cli.dask_blocksize_hint": {
        "id": "berikan bita, misalnya 64MiB, 500k atau 0 (satu bagian per berkas)",
        "en": "give bytes, such as 64MiB, 500k or 0 (one partition per file)",
    },
    "cli.dask_needs_output_dir": {
        "id": "--dask menulis hasil sebagai bagian-bagian: --output-dir belum diberikan",
        "en": "--dask writes the verdicts as parts: --output-dir is not given",
    },
    "cli.dask_needs_output_dir_hint": {
        "id": "tambahkan --output-dir FOLDER (atau URL fsspec seperti s3://bucket/hasil/)",
        "en": "add --output-dir FOLDER (or an fsspec URL such as s3://bucket/hasil/)",
    },
    "cli.dask_format": {
        "id": "dengan --dask, --format {fmt} tidak tersedia",
        "en": "with --dask, --format {fmt} is not available",
    },
    "cli.dask_format_hint": {
        "id": "pilih --format jsonl, geojson atau parquet",
        "en": "choose --format jsonl, geojson or parquet",
    },
    "cli.dask_option_alone": {
        "id": "{option} tidak dapat dipakai bersama --dask",
        "en": "{option} cannot be used with --dask",
    },
    "cli.dask_local_workers": {
        "id": "--dask {value}: jumlah pekerja paling sedikit 1",
        "en": "--dask {value}: at least 1 worker",
    },
    "cli.dask_cannot_reach": {
        "id": "penjadwal Dask di {address} tidak dapat dihubungi: {exc}",
        "en": "cannot reach the Dask scheduler at {address}: {exc}",
    },
    "cli.dask_summary": {
        "id": "{reports} laporan diperiksa dalam {parts} bagian",
        "en": "{reports} report(s) checked in {parts} part(s)",
    },
    "cli.output_dir_needs_dask": {
        "id": "--output-dir hanya dipakai bersama --dask",
        "en": "--output-dir goes with --dask only",
    },
    "cli.output_dir_needs_dask_hint": {
        "id": "tambahkan --dask local:2 (atau alamat penjadwal), atau tulis berkas dengan --output FORMAT:PATH",
        "en": "add --dask local:2 (or a scheduler's address), or write a file with --output FORMAT:PATH",
    },
    "cli.parquet_needs_dask": {
        "id": "parquet ditulis hanya sebagai bagian-bagian (--dask ... --output-dir)",
        "en": "parquet is written only as parts (--dask ... --output-dir)",
    },
    "cli.atribut_rules_check_reports_hint": {
        "id": "atribut-rules check LAPORAN --zones BERKAS, atau --example",
        "en": "atribut-rules check REPORTS --zones FILE, or --example",
    },
    "cli.atribut_rules_explain_apk_hint": {
        "id": "atribut-rules explain APK-POHON --lang en",
        "en": "atribut-rules explain APK-POHON --lang en",
    },
    "cli.cannot_make_temporary_folder": {
        "id": "folder sementara untuk potongan yang diperiksa tidak dapat dibuat: {exc}; atur TMPDIR ke folder yang dapat ditulisi",
        "en": "cannot make a temporary folder for checked chunks: {exc}; set TMPDIR to a writable folder",
    },
    "cli.cannot_write_zone_layer": {
        "id": "lapisan zona tidak dapat ditulis: {strerror}",
        "en": "cannot write the zone layer: {strerror}",
    },
    "cli.example_output_html_laporan_hint": {
        "id": "misalnya --output html:laporan.html; format: {names}",
        "en": "for example --output html:laporan.html; formats: {names}",
    },
    "cli.explain_needs_rule_id": {"id": "explain memerlukan RULE_ID", "en": "explain needs a RULE_ID"},
    "cli.give_0_more_hint": {"id": "beri {option} 0 atau lebih", "en": "give {option} 0 or more"},
    "cli.known_hint": {"id": "yang dikenal: {names}", "en": "known: {names}"},
    "cli.negative_option": {"id": "{option} {value} negatif", "en": "{option} {value} is negative"},
    "cli.no_reports_file_given": {"id": "berkas laporan tidak diberikan", "en": "no reports file given"},
    "cli.output_not_format_path": {
        "id": "--output {spec!r} bukan FORMAT:PATH",
        "en": "--output {spec!r} is not FORMAT:PATH",
    },
    "cli.rules_needs_action_list": {
        "id": "rules memerlukan tindakan: list atau show",
        "en": "rules needs an action: list or show",
    },
    "cli.validate_ok": {"id": "{files} berkas aturan OK", "en": "{files} rule file(s) OK"},
    "cli.validate_problem": {
        "id": "{total} masalah di {files} berkas",
        "en": "{total} problem in {files} file(s)",
    },
    "cli.validate_problems": {
        "id": "{total} masalah di {files} berkas",
        "en": "{total} problems in {files} file(s)",
    },
    "cli.zones_needs_action_build": {
        "id": "zones memerlukan tindakan: build atau mappings",
        "en": "zones needs an action: build or mappings",
    },
    "cli.zones_unknown_category": {
        "id": "--zones {spec!r}: kategori {head!r} tidak dikenal",
        "en": "--zones {spec!r}: unknown category {head!r}",
    },
    "csv.broken_csv": {"id": "CSV rusak: {exc}", "en": "broken CSV: {exc}"},
    "csv.broken_quote": {
        "id": "tanda kutip yang dibuka di rekaman ini tidak pernah ditutup, sehingga setiap baris sesudahnya akan terbaca sebagai satu kolom",
        "en": "a quote opened in this record is never closed, so every later line would be read as one field",
    },
    "csv.check_quotes_line_hint": {
        "id": "periksa tanda kutip di baris ini",
        "en": "check the quotes in this line",
    },
    "csv.close_quote_double_quote_hint": {
        "id": 'tutup tanda kutipnya, atau gandakan tanda kutip di dalam kolom berkutip ("")',
        "en": 'close the quote, or double a quote inside a quoted field ("")',
    },
    "csv.columns_both_name_field": {
        "id": "kolom {seen!r} dan {column!r} sama-sama menunjuk kolom {name!r}",
        "en": "columns {seen!r} and {column!r} both name the field {name!r}",
    },
    "csv.contains_nul_bytes_so": {
        "id": "{what} berisi byte NUL, jadi bukan berkas teks CSV",
        "en": "{what} contains NUL bytes, so it is not a text CSV file",
    },
    "csv.export_sheet_again_as_hint": {
        "id": "ekspor ulang lembar kerjanya sebagai CSV (UTF-8)",
        "en": "export the sheet again as CSV (UTF-8)",
    },
    "csv.field_characters_more_than": {
        "id": "sebuah kolom berisi {length} karakter, melebihi batas {max_field_chars}",
        "en": "a field of {length} characters, more than the limit of {max_field_chars}",
    },
    "csv.file_contains_nul_bytes": {
        "id": "berkas berisi byte NUL, jadi bukan berkas teks CSV",
        "en": "file contains NUL bytes, so it is not a text CSV file",
    },
    "csv.first_line_must_header_hint": {
        "id": "baris pertama harus berupa header",
        "en": "the first line must be a header",
    },
    "csv.first_line_must_header_hint_2": {
        "id": "baris pertama harus berupa header berisi nama-nama kolom",
        "en": "the first line must be a header of column names",
    },
    "csv.header_cell_longer_than": {
        "id": "sebuah sel header lebih panjang dari {field_size_limit} karakter",
        "en": "a header cell longer than {field_size_limit} characters",
    },
    "csv.keep_one_them_rename_hint": {
        "id": "pertahankan salah satunya atau ganti nama yang lain",
        "en": "keep one of them or rename the other",
    },
    "csv.name_column_one_see_hint": {
        "id": "beri kolom itu salah satu nama: {examples} (lihat tabel alias header di README)",
        "en": "name the column one of: {examples} (see the header alias table in the README)",
    },
    "csv.no_column_header": {
        "id": "tidak ada kolom {name} di header",
        "en": "no {name} column in the header",
    },
    "csv.not_valid_text": {"id": "bukan teks {name} yang sah", "en": "not valid {name} text"},
    "csv.reports_file_empty": {"id": "berkas laporan kosong", "en": "reports file is empty"},
    "csv.reports_file_no_header": {
        "id": "berkas laporan tidak memiliki baris header",
        "en": "reports file has no header line",
    },
    "csv.shorten_field_check_quote_hint": {
        "id": "pendekkan kolomnya (atau periksa tanda kutip yang tidak pernah ditutup)",
        "en": "shorten the field (or check for a quote that is never closed)",
    },
    "encoding.check_encoding_hint": {"id": "periksa --encoding", "en": "check --encoding"},
    "encoding.not_valid_byte": {
        "id": "bukan {encoding} yang sah pada byte {start}",
        "en": "not valid {encoding} at byte {start}",
    },
    "encoding.not_valid_text_byte": {
        "id": "bukan teks {upper} yang sah pada byte {start}",
        "en": "not valid {upper} text at byte {start}",
    },
    "encoding.save_file_as_utf_hint": {
        "id": "simpan berkas sebagai UTF-8, atau sebutkan encoding-nya dengan --encoding (cp1252 adalah yang ditulis Excel di Windows; latin-1 untuk berkas lama)",
        "en": "save the file as UTF-8, or name its encoding with --encoding (cp1252 is what Excel on Windows writes; latin-1 for older files)",
    },
    "encoding.unknown_encoding": {
        "id": "encoding {encoding!r} tidak dikenal",
        "en": "unknown encoding {encoding!r}",
    },
    "geojson.expected_geojson_featurecollection_found": {
        "id": "seharusnya GeoJSON FeatureCollection, ditemukan {kind!r}",
        "en": "expected a GeoJSON FeatureCollection, found {kind!r}",
    },
    "geojson.features_not_list": {"id": "'features' bukan daftar", "en": "'features' is not a list"},
    "geojson.json_nested_too_deeply": {
        "id": "JSON bersarang terlalu dalam",
        "en": "JSON is nested too deeply",
    },
    "geojson.not_valid_json": {"id": "bukan JSON yang sah: {msg}", "en": "not valid JSON: {msg}"},
    "geojson.wrap_features_hint": {
        "id": 'bungkus fitur-fiturnya dalam {{"type": "FeatureCollection", "features": [...]}}',
        "en": 'wrap the features in {{"type": "FeatureCollection", "features": [...]}}',
    },
    "gis.add_prj_file_zip_hint": {
        "id": "tambahkan berkas .prj ke zip (koordinat tidak pernah dianggap derajat tanpa itu)",
        "en": "add the .prj file to the zip (the coordinates are never taken as degrees without it)",
    },
    "gis.cannot_read_layer": {
        "id": "lapisan {layer!r} tidak dapat dibaca ({kind}: {exc})",
        "en": "cannot read layer {layer!r} ({kind}: {exc})",
    },
    "gis.copy_next_give_zip_hint": {
        "id": "salin {stem}{suffix} ke sampingnya, atau berikan .zip berisi semua berkasnya",
        "en": "copy {stem}{suffix} next to it, or give a .zip of all its files",
    },
    "gis.copy_prj_next_coordinates_hint": {
        "id": "salin {stem}.prj ke sampingnya (koordinat tidak pernah dianggap derajat tanpa itu)",
        "en": "copy {stem}.prj next to it (the coordinates are never taken as degrees without it)",
    },
    "gis.count_route": {"id": "{count} route", "en": "{count} route"},
    "gis.count_routes": {"id": "{count} route", "en": "{count} routes"},
    "gis.count_track": {"id": "{count} track", "en": "{count} track"},
    "gis.count_tracks": {"id": "{count} track", "en": "{count} tracks"},
    "gis.export_layer_again_as_hint": {
        "id": "ekspor ulang lapisannya, atau sebagai GeoJSON",
        "en": "export the layer again, or as GeoJSON",
    },
    "gis.export_points_as_gpx_hint": {
        "id": "ekspor titik-titiknya sebagai GPX 1.1",
        "en": "export the points as GPX 1.1",
    },
    "gis.file_layers_folders_more": {
        "id": "berkas berisi {length} lapisan (folder), lebih dari {max_layers}",
        "en": "the file has {length} layers (folders), more than {max_layers}",
    },
    "gis.file_layers_say_which": {
        "id": "berkas berisi {length} lapisan; sebutkan yang mana",
        "en": "the file has {length} layers; say which one",
    },
    "gis.gpx_file_no_waypoints": {
        "id": "berkas GPX tidak berisi waypoint{holds}",
        "en": "the GPX file has no waypoints{holds}",
    },
    "gis.holds_1": {"id": " (berisi {first})", "en": " (it holds {first})"},
    "gis.holds_2": {"id": " (berisi {first} dan {second})", "en": " (it holds {first} and {second})"},
    "gis.install_pip_install_atribut_hint": {
        "id": 'pasang dengan: pip install "atribut-rules[gis]"',
        "en": 'install it with: pip install "atribut-rules[gis]"',
    },
    "gis.kml_file_no_placemarks": {
        "id": "berkas KML tidak berisi placemark",
        "en": "the KML file has no placemarks",
    },
    "gis.layer_does_not_say": {
        "id": "lapisan tidak menyebut sistem referensi koordinatnya",
        "en": "the layer does not say its coordinate reference system",
    },
    "gis.layers_hint": {"id": "lapisan: {names}", "en": "layers: {names}"},
    "gis.make_zip_file_again_hint": {"id": "buat ulang berkas zip-nya", "en": "make the zip file again"},
    "gis.mark_each_attribute_as_hint": {
        "id": "tandai setiap atribut sebagai placemark",
        "en": "mark each attribute as a placemark",
    },
    "gis.mark_each_attribute_as_hint_2": {
        "id": "tandai setiap atribut sebagai waypoint; titik track dan route bukan laporan",
        "en": "mark each attribute as a waypoint; track and route points are not reports",
    },
    "gis.merge_folders_export_placemarks_hint": {
        "id": "gabungkan foldernya, atau ekspor placemark sebagai satu lapisan",
        "en": "merge the folders, or export the placemarks as one layer",
    },
    "gis.no_layer": {"id": "tidak ada lapisan {layer!r}", "en": "no layer {layer!r}"},
    "gis.not_gpx_file_no": {
        "id": "bukan berkas GPX (tidak ada lapisan waypoints)",
        "en": "not a GPX file (no waypoints layer)",
    },
    "gis.not_readable_gis_file": {
        "id": "bukan berkas GIS yang terbaca ({kind}: {exc})",
        "en": "not a readable GIS file ({kind}: {exc})",
    },
    "gis.not_readable_zip_archive": {
        "id": "bukan arsip zip yang terbaca ({exc})",
        "en": "not a readable zip archive ({exc})",
    },
    "gis.not_readable_zip_archive_2": {
        "id": "bukan arsip zip yang terbaca ({kind}: {exc})",
        "en": "not a readable zip archive ({kind}: {exc})",
    },
    "gis.reading_shapefile_geopackage_flatgeobuf": {
        "id": "membaca berkas Shapefile, GeoPackage, FlatGeobuf, KML/KMZ dan GPX memerlukan pyogrio",
        "en": "reading Shapefile, GeoPackage, FlatGeobuf, KML/KMZ and GPX files needs pyogrio",
    },
    "gis.set_crs_gis_shapefile_hint": {
        "id": "atur CRS di GIS (untuk Shapefile: tambahkan berkas .prj-nya); koordinat tidak pernah dianggap derajat tanpa itu",
        "en": "set the CRS in a GIS (for a Shapefile: add its .prj file); coordinates are never taken as degrees without it",
    },
    "gis.shapefile_no_file_beside": {
        "id": "Shapefile tidak memiliki berkas {suffix} di sampingnya",
        "en": "the Shapefile has no {suffix} file beside it",
    },
    "gis.shapefile_no_prj_file": {
        "id": "Shapefile tidak memiliki berkas .prj, jadi sistem referensi koordinatnya tidak diketahui",
        "en": "the Shapefile has no .prj file, so its coordinate reference system is unknown",
    },
    "gis.split_archive_hint": {"id": "pecah arsipnya", "en": "split the archive"},
    "gis.unknown_coordinate_reference_system": {
        "id": "sistem referensi koordinat tidak dikenal ({exc})",
        "en": "unknown coordinate reference system ({exc})",
    },
    "gis.use_file_layer_one_hint": {
        "id": "gunakan BERKAS{suffix}:LAPISAN dengan salah satu dari: {names}",
        "en": "use FILE{suffix}:LAYER with one of: {names}",
    },
    "gis.zip_holds_shp_files": {
        "id": "zip berisi {length} berkas .shp, bukan satu",
        "en": "the zip holds {length} .shp files, not one",
    },
    "gis.zip_member_corrupted_crc": {
        "id": "anggota zip {bad!r} rusak (CRC tidak cocok)",
        "en": "zip member {bad!r} is corrupted (CRC mismatch)",
    },
    "gis.zip_members_unzip_bytes": {
        "id": "anggota zip mengembang menjadi {total} byte, melebihi batas {max_unzipped_bytes}",
        "en": "the zip's members unzip to {total} bytes, more than the limit of {max_unzipped_bytes}",
    },
    "gis.zip_no_prj_file": {
        "id": "{shps!r} di zip tidak memiliki berkas .prj, jadi sistem referensi koordinatnya tidak diketahui",
        "en": "{shps!r} in the zip has no .prj file, so its coordinate reference system is unknown",
    },
    "gis.zip_one_shapefile_shp_hint": {
        "id": "zip satu Shapefile (.shp, .shx, .dbf, .prj) per arsip",
        "en": "zip one Shapefile (.shp, .shx, .dbf, .prj) per archive",
    },
    "ids.cannot_keep_ids_rows": {
        "id": "id baris yang sudah dibaca tidak dapat disimpan di {folder}: {exc}; atur TMPDIR ke folder yang cukup ruang (sekitar 20 byte per baris)",
        "en": "cannot keep the ids of rows read so far in {folder}: {exc}; set TMPDIR to a folder with room (about 20 bytes per row)",
    },
    "ids.cannot_make_temporary_folder": {
        "id": "folder sementara untuk id baris yang sudah dibaca tidak dapat dibuat: {exc}; atur TMPDIR ke folder yang dapat ditulisi",
        "en": "cannot make a temporary folder for the ids of rows read so far: {exc}; set TMPDIR to a writable folder",
    },
    "jsonl.reports_file_no_json": {
        "id": "berkas laporan tidak berisi baris JSON",
        "en": "reports file has no JSON lines",
    },
    "jsonl.write_one_json_object_hint": {
        "id": "tulis satu objek JSON per baris",
        "en": "write one JSON object per line",
    },
    "mapping.bundled_hint": {"id": "bawaan: {names}", "en": "bundled: {names}"},
    "mapping.category_not_zone_vocabulary": {
        "id": "kategori {cat!r} tidak ada dalam kosakata zona",
        "en": "category {cat!r} is not in the zone vocabulary",
    },
    "mapping.file_empty": {"id": "berkas mapping kosong", "en": "mapping file is empty"},
    "mapping.file_larger_than": {
        "id": "berkas mapping lebih besar dari {max_bytes} byte",
        "en": "mapping file is larger than {max_bytes} bytes",
    },
    "mapping.mapping_file_not_utf": {
        "id": "berkas mapping bukan UTF-8 ({reason})",
        "en": "mapping file is not UTF-8 ({reason})",
    },
    "mapping.no_such_bundled_mapping": {
        "id": "tidak ada mapping bawaan: {text_ref!r}",
        "en": "no such bundled mapping: {text_ref!r}",
    },
    "mapping.schema": {"id": "{dotted}: {message}", "en": "{dotted}: {message}"},
    "mapping.start_schema_hint": {
        "id": "mulailah berkas dengan 'schema: atribut-rules/mapping-1'",
        "en": "start the file with 'schema: atribut-rules/mapping-1'",
    },
    "mapping.use_one_hint": {"id": "gunakan salah satu dari: {names}", "en": "use one of: {names}"},
    "output.cannot_make_temporary_file": {
        "id": "berkas sementara tidak dapat dibuat",
        "en": "cannot make a temporary file",
    },
    "output.cannot_write": {
        "id": "{what} tidak dapat ditulis: {reason}",
        "en": "cannot write {what}: {reason}",
    },
    "output.clean_up_folder_hint": {"id": "bersihkan foldernya", "en": "clean up the folder"},
    "output.exists_as_input": {
        "id": "{what} akan menimpa {other_what} {other}",
        "en": "{what} would replace the {other_what} {other}",
    },
    "output.give_each_output_own_hint": {
        "id": "beri setiap keluaran path sendiri",
        "en": "give each output its own path",
    },
    "output.install_parquet_hint": {
        "id": 'pasang dengan: pip install "atribut-rules[dask]"',
        "en": 'install it with: pip install "atribut-rules[dask]"',
    },
    "output.install_pip_install_atribut_hint": {
        "id": 'pasang dengan: pip install "atribut-rules[xlsx]"',
        "en": 'install it with: pip install "atribut-rules[xlsx]"',
    },
    "output.same_path_twice": {
        "id": "{what} dan {other_what} sama-sama akan menulis berkas ini",
        "en": "{what} and {other_what} would both write this file",
    },
    "output.write_output_another_path_hint": {
        "id": "tulis keluaran ke path lain; keluaran tidak pernah menimpa masukan",
        "en": "write the output to another path; an output never overwrites an input",
    },
    "output.writing_parquet_needs_pyarrow": {
        "id": "menulis Parquet memerlukan pyarrow, yang belum terpasang",
        "en": "writing Parquet needs pyarrow, which is not installed",
    },
    "output.writing_xlsx_needs_openpyxl": {
        "id": "menulis XLSX memerlukan openpyxl, yang belum terpasang",
        "en": "writing XLSX needs openpyxl, which is not installed",
    },
    "permits.a_finite_number": {"id": "angka terhingga", "en": "a finite number"},
    "permits.a_number": {"id": "angka", "en": "a number"},
    "permits.bad_dates": {"id": "{where}: {exc}", "en": "{where}: {exc}"},
    "permits.cannot_read_permits_file": {
        "id": "berkas izin tidak dapat dibaca: {exc}",
        "en": "cannot read the permits file: {exc}",
    },
    "permits.check_separators_quotes_hint": {
        "id": "periksa pemisah dan tanda kutip",
        "en": "check the separators and quotes",
    },
    "permits.duplicate_permit_id": {"id": "id izin {id} ganda", "en": "duplicate permit id {id}"},
    "permits.line_fields_but_header": {
        "id": "baris {line} berisi {length} kolom, sedangkan header {length_2} kolom",
        "en": "line {line} has {length} fields but the header has {length_2}",
    },
    "permits.name_rules_covers_reports_hint": {
        "id": "sebutkan aturan yang dicakupnya, atau laporannya, lokasi (lon, lat, radius_m), zona atau partai",
        "en": "name the rules it covers, or the reports, a location (lon, lat, radius_m), a zone or a party",
    },
    "permits.names_no_scope_would": {
        "id": "{where} tidak menyebut cakupan: izin ini akan mengecualikan setiap temuan setiap laporan",
        "en": "{where} names no scope: it would exempt every finding of every report",
    },
    "permits.not_kind": {"id": "{column} {value} bukan {kind}", "en": "{column} {value} is not {kind}"},
    "permits.not_valid_unicode_text": {
        "id": "{where}: {bad} bukan teks Unicode yang sah (berisi separuh pasangan surrogate, mis. \\ud800)",
        "en": "{where}: {bad} is not valid Unicode text (it holds half of a surrogate pair, e.g. \\ud800)",
    },
    "permits.permit_not_mapping": {
        "id": "izin #{n} bukan sebuah mapping",
        "en": "permit #{n} is not a mapping",
    },
    "permits.permits_file_empty": {"id": "berkas izin kosong", "en": "permits file is empty"},
    "permits.permits_file_holds_list": {
        "id": "berkas izin berisi daftar izin (atau 'permits: [...]')",
        "en": "a permits file holds a list of permits (or 'permits: [...]')",
    },
    "permits.permits_file_not_utf": {"id": "berkas izin bukan UTF-8", "en": "permits file is not UTF-8"},
    "permits.schema": {"id": "{where}: {value}{schema_message}", "en": "{where}: {value}{schema_message}"},
    "permits.valid_before_valid_from": {
        "id": "{where}: valid_to lebih awal dari valid_from",
        "en": "{where}: valid_to is before valid_from",
    },
    "permits.where": {"id": "izin #{n} ({label})", "en": "permit #{n} ({label})"},
    "permits.write_decimal_degrees_lon_hint": {
        "id": "tulis derajat desimal (lon, lat) dan meter (radius)",
        "en": "write decimal degrees (lon, lat) and metres (radius)",
    },
    "permits.write_shorter_numbers_hint": {
        "id": "tulis angka yang lebih pendek",
        "en": "write shorter numbers",
    },
    "permits.write_text_again_hint": {"id": "tulis ulang teksnya", "en": "write the text again"},
    "photos.folder_holds_more_than": {
        "id": "folder berisi lebih dari {max_photos} foto",
        "en": "the folder holds more than {max_photos} photos",
    },
    "photos.give_folder_zip_files_hint": {
        "id": "berikan folder atau zip berisi berkas {names}",
        "en": "give a folder or zip of {names} files",
    },
    "photos.install_pip_install_atribut_hint": {
        "id": 'pasang dengan: pip install "atribut-rules[photos]"',
        "en": 'install it with: pip install "atribut-rules[photos]"',
    },
    "photos.no_photos_found": {"id": "tidak ada foto yang ditemukan", "en": "no photos found"},
    "photos.reading_photos_needs_pillow": {
        "id": "membaca foto memerlukan Pillow",
        "en": "reading photos needs Pillow",
    },
    "photos.split_hint": {"id": "pecah zip-nya", "en": "split it"},
    "photos.zip_holds_more_than": {
        "id": "zip berisi lebih dari {max_photos} foto",
        "en": "the zip holds more than {max_photos} photos",
    },
    "reports.cannot_tell_format_from": {
        "id": "format {name!r} tidak dapat dikenali dari ekstensinya",
        "en": "cannot tell the format of {name!r} from its extension",
    },
    "reports.reports_cannot_read_chunks": {
        "id": "laporan {fmt} tidak dapat dibaca per potongan",
        "en": "{fmt} reports cannot be read in chunks",
    },
    "reports.unknown_reports_format": {
        "id": "format laporan {fmt!r} tidak dikenal",
        "en": "unknown reports format {fmt!r}",
    },
    "reports.unreadable": {
        "id": "berkas laporan tidak dapat dibaca: {strerror}",
        "en": "cannot read reports file: {strerror}",
    },
    "reports.use_csv_file_hint": {"id": "gunakan berkas CSV", "en": "use a CSV file"},
    "reports.use_csv_geojson_json_hint": {
        "id": "gunakan .csv, .geojson, .json, .jsonl, .xlsx, .kml, .kmz, .gpx, atau folder atau .zip berisi foto",
        "en": "use .csv, .geojson, .json, .jsonl, .xlsx, .kml, .kmz, .gpx, or a folder or .zip of photos",
    },
    "reports.use_csv_geojson_jsonl_hint": {
        "id": "gunakan csv, geojson, jsonl, xlsx, kml, kmz, gpx atau photos",
        "en": "use csv, geojson, jsonl, xlsx, kml, kmz, gpx or photos",
    },
    "rules.b_b_word_boundaries": {
        "id": "\\b dan \\B (batas kata) tidak didukung pada teks Unicode: tulis (^|\\W) dan (\\W|$), atau (?a) untuk batas kata ASCII",
        "en": "\\b and \\B (word boundaries) are not supported on Unicode text: write (^|\\W) and (\\W|$), or (?a) for ASCII word boundaries",
    },
    "rules.bad_crs": {"id": "crs {doc}: {problem}", "en": "crs {doc}: {problem}"},
    "rules.between_needs_low_high": {
        "id": "between memerlukan [rendah, tinggi] dengan rendah <= tinggi, ditemukan {value}",
        "en": "between needs [low, high] with low <= high, found {value}",
    },
    "rules.bundled_sets_hint": {"id": "himpunan bawaan: {known}", "en": "bundled sets: {known}"},
    "rules.cannot_read_rule_file": {
        "id": "berkas aturan tidak dapat dibaca: {os_reason}",
        "en": "cannot read rule file: {os_reason}",
    },
    "rules.check_spelling": {
        "id": "{message}; periksa ejaannya terhadap format aturan di README",
        "en": "{message}; check the spelling against the rule format in the README",
    },
    "rules.conditions_nested_deeper_than": {
        "id": "kondisi bersarang lebih dalam dari {max_depth} tingkat",
        "en": "conditions are nested deeper than {max_depth} levels",
    },
    "rules.duplicate_rule_id_first": {
        "id": "id aturan {rid!r} ganda (pertama di aturan #{value})",
        "en": "duplicate rule id {rid!r} (first at rule #{value})",
    },
    "rules.extends_cannot_follow_path": {
        "id": "extends {ref}: path itu tidak dapat diikuti ({os_reason})",
        "en": "extends {ref}: cannot follow that path ({os_reason})",
    },
    "rules.extends_chain_deeper_than": {
        "id": "rantai extends lebih dalam dari {max_extends_depth}",
        "en": "extends chain is deeper than {max_extends_depth}",
    },
    "rules.extends_chain_too_deep": {"id": "rantai extends terlalu dalam", "en": "extends chain is too deep"},
    "rules.extends_makes_cycle": {
        "id": "extends {ref} membentuk siklus",
        "en": "extends {ref} makes a cycle",
    },
    "rules.extends_no_rule_file": {
        "id": "extends {ref}: tidak ada berkas aturan di sana ({path})",
        "en": "extends {ref}: no rule file there ({path})",
    },
    "rules.extends_points_outside_rule": {
        "id": "extends {ref} menunjuk ke luar folder berkas aturan",
        "en": "extends {ref} points outside the rule file's folder",
    },
    "rules.extends_rule_set_given": {
        "id": "extends {ref}: himpunan aturan yang diberikan sebagai mapping hanya dapat memperluas builtin:NAMA",
        "en": "extends {ref}: a rule set given as a mapping can only extend builtin:NAME",
    },
    "rules.field_test_needs_exactly": {
        "id": "uji kolom memerlukan tepat satu operator dari {names} (ditemukan {found})",
        "en": "a field test needs exactly one operator of {names} (found {found})",
    },
    "rules.give_projected_crs_metres_hint": {
        "id": "berikan CRS terproyeksi dalam meter sebagai EPSG:NNNN (mis. EPSG:32748) atau string PROJ tanpa berkas, atau hapus crs (proyeksi lokal dipilih untuk datanya)",
        "en": "give a projected CRS in metres as EPSG:NNNN (e.g. EPSG:32748) or a PROJ string without files, or leave crs out (a local projection is chosen for the data)",
    },
    "rules.key_not_usable": {
        "id": "kunci {key} bukan nama yang dapat dipakai di sini ({message})",
        "en": "the key {key} is not a usable name here ({message})",
    },
    "rules.known_categories_add_hint": {
        "id": "kategori yang dikenal: {names}; tambahkan yang baru di bawah 'categories'",
        "en": "known categories: {names}; add new ones under 'categories'",
    },
    "rules.known_categories_hint": {
        "id": "kategori yang dikenal: {names}",
        "en": "known categories: {names}",
    },
    "rules.lone_surrogate": {
        "id": "{where}bukan teks Unicode yang sah: {value} berisi surrogate tunggal",
        "en": "{where}not valid Unicode text: {value} holds a lone surrogate",
    },
    "rules.message_names_each_value_hint": {
        "id": "pesan menyebut setiap nilai sekali atau dua kali; teks panjang di dalamnya membuat setiap temuan panjang",
        "en": "a message names each value once or twice; long texts in it make every finding long",
    },
    "rules.message_placeholder_not_plain": {
        "id": "placeholder pesan ({lang}) {value} bukan nama biasa",
        "en": "message ({lang}) placeholder {value} is not a plain name",
    },
    "rules.message_placeholders_most": {
        "id": "pesan ({lang}) memiliki {length} placeholder; paling banyak {max_placeholders}",
        "en": "message ({lang}) has {length} placeholders; at most {max_placeholders}",
    },
    "rules.needs_a_number": {
        "id": "{op} pada {field!r} memerlukan angka",
        "en": "{op} on {field!r} needs a number",
    },
    "rules.needs_finite_numbers_found": {
        "id": "{op} memerlukan angka terhingga, ditemukan {one!r}",
        "en": "{op} needs finite numbers, found {one!r}",
    },
    "rules.no_bundled_rule_set": {
        "id": "tidak ada himpunan aturan bawaan {name}",
        "en": "no bundled rule set {name}",
    },
    "rules.no_such_rule": {
        "id": "aturan {rule_id!r} tidak ada (yang dikenal: {known})",
        "en": "no such rule: {rule_id!r} (known: {known})",
    },
    "rules.no_translation": {
        "id": "{what} tidak memiliki terjemahan untuk {missing}",
        "en": "{what} has no translation for {missing}",
    },
    "rules.none": {"id": "tidak ada", "en": "none"},
    "rules.not_calendar_date": {"id": "{text} bukan tanggal kalender", "en": "{text} is not a calendar date"},
    "rules.not_finite_number": {
        "id": "{where}{value!r} bukan angka terhingga",
        "en": "{where}{value!r} is not a finite number",
    },
    "rules.not_usable_file_name": {
        "id": "{ref} bukan nama berkas yang dapat dipakai: berisi karakter NUL",
        "en": "{ref} is not a usable file name: it holds a NUL character",
    },
    "rules.not_valid_regular_expression": {
        "id": "bukan regular expression yang sah: {exc}",
        "en": "not a valid regular expression: {exc}",
    },
    "rules.on_observed_needs_calendar": {
        "id": "{op} pada observed_at memerlukan tanggal kalender YYYY-MM-DD, ditemukan {one}",
        "en": "{op} on observed_at needs a calendar date written YYYY-MM-DD, found {one}",
    },
    "rules.one_condition_key": {
        "id": "sebuah kondisi memerlukan tepat satu dari {names}",
        "en": "a condition needs exactly one of {names}",
    },
    "rules.one_text": {
        "id": "{what} hanya satu teks; berikan dalam kedua bahasa sebagai {{id: ..., en: ...}}",
        "en": "{what} is one text; give it in both languages as {{id: ..., en: ...}}",
    },
    "rules.part_character_class_not": {
        "id": "bagian kelas karakter ini tidak didukung: {name}",
        "en": "this part of a character class is not supported: {name}",
    },
    "rules.part_regular_expression_not": {
        "id": "bagian regular expression ini tidak didukung: {name}",
        "en": "this part of a regular expression is not supported: {name}",
    },
    "rules.pattern_cannot_run_on": {
        "id": "pola tidak dapat dijalankan di RE2: {reason}",
        "en": "the pattern cannot run on RE2: {reason}",
    },
    "rules.pattern_longer_than_characters": {
        "id": "pola lebih panjang dari {max_pattern_length} karakter",
        "en": "pattern is longer than {max_pattern_length} characters",
    },
    "rules.pattern_outside_safe_subset": {
        "id": "pola {pattern} berada di luar subset aman: {problem}",
        "en": "pattern {pattern} is outside the safe subset: {problem}",
    },
    "rules.period_ends_before_starts": {
        "id": "periode {pname!r} berakhir sebelum dimulai",
        "en": "period {pname!r} ends before it starts",
    },
    "rules.periods_defined_hint": {
        "id": "periode yang didefinisikan: {names}",
        "en": "periods defined: {names}",
    },
    "rules.possessive_repeats_atomic_groups": {
        "id": "pengulangan posesif dan grup atomik tidak didukung",
        "en": "possessive repeats and atomic groups are not supported",
    },
    "rules.quote_key_hint": {
        "id": "tulis kuncinya dalam tanda kutip: YAML membaca 1, yes atau null tanpa kutip sebagai angka, true atau null",
        "en": "write the key in quotes: YAML reads 1, yes or null unquoted as a number, true or null",
    },
    "rules.rule_file_larger_than": {
        "id": "berkas aturan lebih besar dari {max_bytes} byte",
        "en": "rule file is larger than {max_bytes} bytes",
    },
    "rules.rule_file_must_mapping": {
        "id": "berkas aturan harus berupa mapping di tingkat teratas",
        "en": "a rule file must be a mapping at the top",
    },
    "rules.rule_file_name_holds": {
        "id": "nama berkas aturan berisi karakter NUL",
        "en": "the rule file's name holds a NUL character",
    },
    "rules.rule_file_not_utf": {
        "id": "berkas aturan bukan UTF-8 (byte {start})",
        "en": "rule file is not UTF-8 (byte {start})",
    },
    "rules.rule_key": {"id": "aturan {rule}: {key}", "en": "rule {rule}: {key}"},
    "rules.rule_no_when_condition": {
        "id": "aturan tidak memiliki kondisi 'when' (maupun {nor})",
        "en": "rule has no 'when' condition (nor {nor})",
    },
    "rules.rule_one_whole_list": {
        "id": "satu aturan hanya satu aturan seluruh-daftar: aturan ini memiliki {keys}",
        "en": "a rule is one whole-list rule: it has {keys}",
    },
    "rules.rule_prefix": {"id": "aturan {rule}: {message}", "en": "rule {rule}: {message}"},
    "rules.rule_set_cannot_built": {
        "id": "himpunan aturan tidak dapat disusun",
        "en": "the rule set cannot be built",
    },
    "rules.rule_set_nested_too": {
        "id": "himpunan aturan bersarang terlalu dalam",
        "en": "the rule set is nested too deeply",
    },
    "rules.rules_new_rule_needs": {
        "id": "rules.{j}: aturan baru memerlukan 'when' (atau {alternatives}); hanya aturan induk yang boleh disebut dengan kunci yang berubah saja",
        "en": "rules.{j}: a new rule needs 'when' (or {alternatives}); only a parent's rule may be named with just the keys that change",
    },
    "rules.ruleset_title": {"id": "judul himpunan aturan", "en": "ruleset title"},
    "rules.save_rule_file_as_hint": {
        "id": "simpan berkas aturan sebagai UTF-8",
        "en": "save the rule file as UTF-8",
    },
    "rules.schema": {"id": "{dotted}: {message}", "en": "{dotted}: {message}"},
    "rules.tab_indentation": {"id": "ada tab di indentasi", "en": "a tab in the indentation"},
    "rules.too_large_number": {
        "id": "{where}{value} adalah angka yang terlalu besar",
        "en": "{where}{value} is too large a number",
    },
    "rules.unknown_period": {"id": "periode {period!r} tidak dikenal", "en": "unknown period {period!r}"},
    "rules.unknown_zone_category": {
        "id": "kategori zona {zone!r} tidak dikenal",
        "en": "unknown zone category {zone!r}",
    },
    "rules.unknown_zone_category_area": {
        "id": "kategori zona {r!r} di area tidak dikenal",
        "en": "unknown zone category {r!r} in area",
    },
    "rules.unknown_zone_category_defaults": {
        "id": "kategori zona {cat!r} di defaults.zone_radius_m tidak dikenal",
        "en": "unknown zone category {cat!r} in defaults.zone_radius_m",
    },
    "rules.unknown_zone_category_quota": {
        "id": "kategori zona {zone!r} di quota.per tidak dikenal",
        "en": "unknown zone category {zone!r} in quota.per",
    },
    "rules.use_builtin_name_path_hint": {
        "id": "gunakan builtin:NAMA atau path ke berkas .yaml di bawah folder berkas ini",
        "en": "use builtin:NAME or a path to a .yaml file under this file's folder",
    },
    "rules.use_builtin_name_path_hint_2": {
        "id": "gunakan builtin:NAMA, path di bawah folder berkas aturan, atau izinkan foldernya (--allow-path)",
        "en": "use builtin:NAME, a path under the rule file's folder, or allow the folder (--allow-path)",
    },
    "rules.use_names_such_as_hint": {"id": "gunakan nama seperti {names}", "en": "use names such as {names}"},
    "rules.within_m_must_finite": {
        "id": "within_m harus angka terhingga, ditemukan {within!r}",
        "en": "within_m must be a finite number, found {within!r}",
    },
    "rules.yaml_indents_spaces_only_hint": {
        "id": "YAML hanya memakai spasi untuk indentasi",
        "en": "YAML indents with spaces only",
    },
    "scale.cannot_write_checked_verdicts": {
        "id": "hasil pemeriksaan tidak dapat ditulis ke {folder}: {exc}; atur TMPDIR ke folder yang cukup ruang untuk seluruh keluaran",
        "en": "cannot write checked verdicts to {folder}: {exc}; set TMPDIR to a folder with room for the whole output",
    },
    "scale.too_many_partitions": {
        "id": "{count} bagian dalam satu pemeriksaan; paling banyak {limit}",
        "en": "{count} partitions in one run; at most {limit}",
    },
    "scale.too_many_partitions_hint": {
        "id": "perbesar --dask-blocksize (misalnya 64MiB), atau gabungkan berkas-berkas kecil",
        "en": "give a larger --dask-blocksize (such as 64MiB), or join small files",
    },
    "scale.output_needs_files": {
        "id": "dengan output, daftar laporan dibaca oleh para pekerja: berikan berkas, pola glob, daftar berkas, atau DataFrame/Bag Dask, bukan tabel Reports",
        "en": "with output, the workers read the list: give a file, a glob pattern, a list of files or a Dask DataFrame or Bag, not a Reports table",
    },
    "scale.output_needs_files_hint": {
        "id": "tabel yang sudah dimuat diperiksa dengan check(...) atau check_dask(...) tanpa output",
        "en": "check a table already loaded with check(...), or check_dask(...) without output",
    },
    "scale.line_too_long": {
        "id": "satu bagian daftar ini melebihi {limit} bita karena sebuah baris sangat panjang",
        "en": "a partition of this list is over {limit} bytes because of one very long line",
    },
    "scale.line_too_long_hint": {
        "id": "periksa apakah berkas ini benar daftar CSV atau JSON Lines; batasnya diatur dengan --max-reports-bytes",
        "en": "check that the file is a CSV or JSON Lines list; the limit is set with --max-reports-bytes",
    },
    "scale.no_file_matches": {
        "id": "tidak ada berkas yang cocok dengan {pattern}",
        "en": "no file matches {pattern}",
    },
    "scale.quote_crosses_partition": {
        "id": "tanda kutip yang dibuka di baris ini tidak ditutup dalam bagian daftar ini (bita {start}-{stop}): sel bertanda kutip dengan ganti baris melewati batas bagian, atau kutipnya tidak pernah ditutup",
        "en": "a quote opened on this line is not closed within this partition of the list (bytes {start}-{stop}): a quoted cell with a line break crosses the partition boundary, or the quote is never closed",
    },
    "scale.quote_crosses_partition_hint": {
        "id": "periksa berkas dengan `atribut-rules check BERKAS`, atau baca tiap berkas sebagai satu bagian (--dask-blocksize 0)",
        "en": "check the file with `atribut-rules check FILE`, or read each file as one partition (--dask-blocksize 0)",
    },
    "scale.output_needs_format": {
        "id": "format bagian {fmt!r} tidak dikenal; pilih jsonl, geojson atau parquet",
        "en": "unknown part format {fmt!r}; choose jsonl, geojson or parquet",
    },
    "scale.cannot_write_part": {
        "id": "bagian {path} tidak dapat ditulis: {exc}",
        "en": "cannot write the part {path}: {exc}",
    },
    "scale.install_pip_install_atribut_hint": {
        "id": 'pasang dengan: pip install "atribut-rules[dask]"',
        "en": 'install it with: pip install "atribut-rules[dask]"',
    },
    "scale.running_on_dask_needs": {
        "id": "menjalankan di Dask memerlukan dask",
        "en": "running on Dask needs dask",
    },
    "xlsx.delete_cells_far_right_hint": {
        "id": "hapus sel-sel jauh di kanan header",
        "en": "delete the cells far to the right of the header",
    },
    "xlsx.first_row_must_header_hint": {
        "id": "baris pertama harus berupa header",
        "en": "the first row must be a header",
    },
    "xlsx.first_worksheet_empty": {"id": "lembar kerja pertama kosong", "en": "the first worksheet is empty"},
    "xlsx.header_cell": {"id": "sel header {ref}: {reason}", "en": "header cell {ref}: {reason}"},
    "xlsx.header_cell_column_beyond": {
        "id": "header memiliki sel di kolom {last}, melebihi batas {max_columns} kolom",
        "en": "the header has a cell in column {last}, beyond the limit of {max_columns} columns",
    },
    "xlsx.install_pip_install_atribut_hint": {
        "id": 'pasang dengan: pip install "atribut-rules[xlsx]"',
        "en": 'install it with: pip install "atribut-rules[xlsx]"',
    },
    "xlsx.not_readable_xlsx_workbook": {
        "id": "bukan workbook XLSX yang terbaca (bukan arsip zip: {exc})",
        "en": "not a readable XLSX workbook (not a zip archive: {exc})",
    },
    "xlsx.not_readable_xlsx_workbook_2": {
        "id": "bukan workbook XLSX yang terbaca ({kind}: {exc})",
        "en": "not a readable XLSX workbook ({kind}: {exc})",
    },
    "xlsx.reading_xlsx_files_needs": {
        "id": "membaca berkas .xlsx memerlukan openpyxl",
        "en": "reading .xlsx files needs openpyxl",
    },
    "xlsx.row_beyond_limit": {"id": "melewati baris {max_rows}", "en": "is beyond row {max_rows}"},
    "xlsx.row_not_a_row": {
        "id": "bukan sebuah baris (baris dimulai dari 1)",
        "en": "is not a row (rows start at 1)",
    },
    "xlsx.row_out_of_order": {
        "id": "datang setelah baris {last} (baris harus berurutan, masing-masing sekali)",
        "en": "comes after row {last} (rows must be in order, each once)",
    },
    "xlsx.save_sheet_again_as_hint": {
        "id": "simpan ulang lembar kerjanya sebagai .xlsx, atau ekspor sebagai CSV",
        "en": "save the sheet again as .xlsx, or export it as CSV",
    },
    "xlsx.split_sheet_export_as_hint": {
        "id": "pecah lembar kerjanya, atau ekspor sebagai CSV",
        "en": "split the sheet, or export it as CSV",
    },
    "xlsx.workbook_parts_unzip_bytes": {
        "id": "bagian-bagian workbook mengembang menjadi {total} byte, melebihi batas {max_unzipped_bytes}",
        "en": "the workbook's parts unzip to {total} bytes, more than the limit of {max_unzipped_bytes}",
    },
    "xlsx.worksheet_row_number": {
        "id": "nomor baris lembar kerja {number} {why}",
        "en": "the worksheet's row number {number} {why}",
    },
    "xlsx.worksheet_xml_broken_after": {
        "id": "XML lembar kerja rusak setelah baris {last} ({kind}: {exc})",
        "en": "the worksheet XML is broken after row {last} ({kind}: {exc})",
    },
    "xlsx.write_header_again_hint": {"id": "tulis ulang header-nya", "en": "write the header again"},
    "yaml.duplicate_key_one_mapping": {
        "id": "kunci {key} ganda dalam satu mapping{also}",
        "en": "duplicate key {key} in one mapping{also}",
    },
    "yaml.expands_more_than_values": {
        "id": "mengembang menjadi lebih dari {max_nodes} nilai (alias diulang di dalam alias?)",
        "en": "expands to more than {max_nodes} values (aliases repeated inside aliases?)",
    },
    "yaml.flatten_document_raise_depth_hint": {
        "id": "ratakan dokumennya, atau naikkan batas kedalaman",
        "en": "flatten the document, or raise the depth limit",
    },
    "yaml.more_than_yaml_aliases": {
        "id": "lebih dari {max_aliases} alias YAML",
        "en": "more than {max_aliases} YAML aliases",
    },
    "yaml.nested_deeper_than_levels": {
        "id": "bersarang lebih dalam dari {max_depth} tingkat",
        "en": "nested deeper than {max_depth} levels",
    },
    "yaml.no_distance_size_count_hint": {
        "id": "tidak ada jarak, ukuran atau jumlah yang memerlukan digit lebih banyak",
        "en": "no distance, size or count needs more digits",
    },
    "yaml.not_finite_number": {"id": "{value} bukan angka terhingga", "en": "{value} is not a finite number"},
    "yaml.not_valid_unicode_text": {
        "id": "bukan teks Unicode yang sah: surrogate tunggal U+{ord:04X} di {value}",
        "en": "not valid Unicode text: a lone surrogate U+{ord:04X} in {value}",
    },
    "yaml.not_valid_yaml": {"id": "bukan YAML yang sah: {value}", "en": "not valid YAML: {value}"},
    "yaml.not_valid_yaml_2": {"id": "bukan YAML yang sah: {exc}", "en": "not valid YAML: {exc}"},
    "yaml.not_valid_yaml_character": {
        "id": "bukan YAML yang sah: karakter U+{character:04X} tidak diperbolehkan",
        "en": "not valid YAML: character U+{character:04X} is not allowed",
    },
    "yaml.number_written_characters_too": {
        "id": "angka yang ditulis dengan {length} karakter terlalu panjang (paling banyak {max_number_chars})",
        "en": "a number written with {length} characters is too long (at most {max_number_chars})",
    },
    "yaml.one_key_once_read": {
        "id": " ({first} dan {key} menjadi satu kunci setelah dibaca)",
        "en": " ({first} and {key} are one key once read)",
    },
    "yaml.raise_limit_split_file_hint": {
        "id": "naikkan batasnya atau pecah berkasnya",
        "en": "raise the limit or split the file",
    },
    "yaml.remove_control_characters_from_hint": {
        "id": "hapus karakter kendali dari berkas",
        "en": "remove control characters from the file",
    },
    "yaml.rule_file_empty": {"id": "berkas aturan kosong", "en": "rule file is empty"},
    "yaml.rule_file_larger_than": {
        "id": "berkas aturan lebih besar dari {max_bytes} byte",
        "en": "rule file is larger than {max_bytes} bytes",
    },
    "yaml.rule_files_hold_finite_hint": {
        "id": "berkas aturan hanya berisi angka terhingga (tanpa .nan atau .inf)",
        "en": "rule files hold finite numbers only (no .nan or .inf)",
    },
    "yaml.start_schema_atribut_rules_hint": {
        "id": "mulailah dengan 'schema: atribut-rules/1'",
        "en": "start with 'schema: atribut-rules/1'",
    },
    "yaml.ud800_udfff_escape_half_hint": {
        "id": "escape \\uD800-\\uDFFF adalah separuh karakter: tulis \\U0001F600 (delapan digit) atau karakternya sendiri",
        "en": "a \\uD800-\\uDFFF escape is half a character: write \\U0001F600 (eight digits) or the character itself",
    },
    "yaml.write_values_out_raise_hint": {
        "id": "tulis nilainya secara lengkap, atau naikkan batas alias",
        "en": "write the values out, or raise the alias limit",
    },
    "yaml.yaml_alias_refers_itself": {
        "id": "sebuah alias YAML merujuk ke dirinya sendiri",
        "en": "a YAML alias refers to itself",
    },
    "yaml.yaml_nested_too_deeply": {"id": "YAML bersarang terlalu dalam", "en": "YAML is nested too deeply"},
    "yaml.yaml_would_keep_only_hint": {
        "id": "YAML hanya akan menyimpan nilai terakhir; hapus atau ganti nama salah satunya",
        "en": "YAML would keep only the last value; remove or rename one of them",
    },
    "zonebuild.cannot_read_osm_file": {
        "id": "berkas OSM tidak dapat dibaca: {exc}",
        "en": "cannot read OSM file: {exc}",
    },
    "zonebuild.cannot_read_zone_source": {
        "id": "sumber zona tidak dapat dibaca: {strerror}",
        "en": "cannot read zone source: {strerror}",
    },
    "zonebuild.cannot_repair": {
        "id": "{where}: tidak dapat diperbaiki ({reason})",
        "en": "{where}: cannot repair ({reason})",
    },
    "zonebuild.cannot_tell_format": {
        "id": "format {name!r} tidak dapat dikenali",
        "en": "cannot tell the format of {name!r}",
    },
    "zonebuild.coordinates_not_numbers": {
        "id": "{where} memiliki koordinat yang bukan angka",
        "en": "{where} has coordinates that are not numbers",
    },
    "zonebuild.coordinates_outside_longitude_latitude": {
        "id": "{where} memiliki koordinat ({b:.6g}, {b_2:.6g}) di luar rentang bujur/lintang: tampaknya terproyeksi (meter), bukan WGS84; proyeksikan ulang sumbernya ke EPSG:4326",
        "en": "{where} has coordinates ({b:.6g}, {b_2:.6g}) outside longitude/latitude range: they look projected (metres), not WGS84; reproject the source to EPSG:4326",
    },
    "zonebuild.csv_file_empty": {"id": "berkas CSV kosong", "en": "the CSV file is empty"},
    "zonebuild.detail": {"id": "{where}: {exc}", "en": "{where}: {exc}"},
    "zonebuild.empty_geometry": {
        "id": "{where} memiliki geometri kosong",
        "en": "{where} has an empty geometry",
    },
    "zonebuild.expected_geojson_featurecollection_found": {
        "id": "seharusnya GeoJSON FeatureCollection, ditemukan {kind!r}",
        "en": "expected a GeoJSON FeatureCollection, found {kind!r}",
    },
    "zonebuild.feature_id_feature_but": {
        "id": "fitur #{number} memiliki id fitur #{number_2} dari {efile} tetapi berbeda: disimpan sebagai {new!r}",
        "en": "feature #{number} has the id of feature #{number_2} of {efile} but differs: kept as {new!r}",
    },
    "zonebuild.feature_not_valid_unicode": {
        "id": "fitur #{n}: {where} bukan teks Unicode yang sah (berisi separuh pasangan surrogate, mis. \\ud800)",
        "en": "feature #{n}: {where} is not valid Unicode text (it holds half of a surrogate pair, e.g. \\ud800)",
    },
    "zonebuild.feature_number": {"id": "fitur #{number}", "en": "feature #{number}"},
    "zonebuild.feature_repeats_feature_exactly": {
        "id": "fitur #{number} mengulang fitur #{number_2} dari {efile} persis (id, kategori, nama dan geometri sama): ditinggalkan",
        "en": "feature #{number} repeats feature #{number_2} of {efile} exactly (same id, category, name and geometry): left out",
    },
    "zonebuild.features_not_list": {"id": "'features' bukan daftar", "en": "'features' is not a list"},
    "zonebuild.file_declares_coordinate_reference": {
        "id": "berkas menyatakan sistem referensi koordinat {name!r}, bukan WGS84 lon/lat",
        "en": "the file declares coordinate reference system {name!r}, not WGS84 lon/lat",
    },
    "zonebuild.invalid_geometry_left_out": {
        "id": "{where} memiliki geometri yang tidak sah: {reason} (ditinggalkan; --repair membuatnya sah)",
        "en": "{where} has an invalid geometry: {reason} (left out; --repair makes it valid)",
    },
    "zonebuild.mapping_produces_no_zones": {
        "id": "mapping {name} tidak menghasilkan zona: {names} (ambil dari sumber lain)",
        "en": "mapping {name} produces no zones of: {names} (take them from another source)",
    },
    "zonebuild.name_them_mapping_input_hint": {
        "id": "sebutkan kolom itu di input mapping (wkt_field, atau lon_field dan lat_field)",
        "en": "name them in the mapping's input (wkt_field, or lon_field and lat_field)",
    },
    "zonebuild.no_column_header": {
        "id": "tidak ada kolom {what} {wanted!r} di header",
        "en": "no {what} column {wanted!r} in the header",
    },
    "zonebuild.no_feature_matched_mapping": {
        "id": "tidak ada fitur yang cocok dengan kelas mapping untuk: {names} (lapisan ini kosong)",
        "en": "no feature matched the mapping's classes for: {names} (these layers are empty)",
    },
    "zonebuild.no_geometry_column_need": {
        "id": "tidak ada kolom geometri: perlu kolom WKT (geometry, wkt) atau kolom lon/lat",
        "en": "no geometry column: need a WKT column (geometry, wkt) or lon/lat columns",
    },
    "zonebuild.no_radius_for_points": {
        "id": "mapping tidak memberi radius untuk titik {cat}: radius_m 0, zonanya geometri apa adanya",
        "en": "the mapping gives no radius for {cat} points: radius_m 0, the zone is the bare geometry",
    },
    "zonebuild.no_width_for_lines": {
        "id": "mapping tidak memberi lebar untuk garis {cat}: radius_m 0, zonanya geometri apa adanya",
        "en": "the mapping gives no width for {cat} lines: radius_m 0, the zone is the bare geometry",
    },
    "zonebuild.no_zone_came_out": {
        "id": "tidak ada zona yang dihasilkan dari sumber ini dengan mapping {name}",
        "en": "no zone came out of this source with mapping {name}",
    },
    "zonebuild.no_zone_features_were": {
        "id": "tidak ada fitur zona yang dihasilkan",
        "en": "no zone features were produced",
    },
    "zonebuild.not_number_lanes_1": {
        "id": "{lanes_field}={props} bukan jumlah lajur (1 sampai 99); dipakai nilai bawaan",
        "en": "{lanes_field}={props} is not a number of lanes (1 to 99); used the default",
    },
    "zonebuild.not_width_metres_used": {
        "id": "{width_field}={props} bukan lebar dalam meter; dipakai nilai bawaan",
        "en": "{width_field}={props} is not a width in metres; used the default",
    },
    "zonebuild.pip_install_atribut_rules_hint": {
        "id": 'pip install "atribut-rules[osm]" (atau ekspor wilayahnya sebagai GeoJSON dengan Overpass turbo)',
        "en": 'pip install "atribut-rules[osm]" (or export the area as GeoJSON with Overpass turbo)',
    },
    "zonebuild.reading_osm_pbf_osm": {
        "id": "membaca berkas OSM .pbf/.osm memerlukan pyosmium, yang belum terpasang",
        "en": "reading OSM .pbf/.osm files needs pyosmium, which is not installed",
    },
    "zonebuild.repaired_invalid_geometry": {
        "id": "{where}: geometri yang tidak sah telah diperbaiki ({reason})",
        "en": "{where}: repaired an invalid geometry ({reason})",
    },
    "zonebuild.reproject_epsg_4326_e_hint": {
        "id": "proyeksikan ulang ke EPSG:4326 (mis. ogr2ogr -t_srs EPSG:4326 out.geojson in.geojson)",
        "en": "reproject to EPSG:4326 (e.g. ogr2ogr -t_srs EPSG:4326 out.geojson in.geojson)",
    },
    "zonebuild.write_text_again_hint": {"id": "tulis ulang teksnya", "en": "write the text again"},
    "zonebuild.zone_sources_geojson_json_hint": {
        "id": "sumber zona berupa .geojson/.json, .csv, atau OSM .osm.pbf/.osm",
        "en": "zone sources are .geojson/.json, .csv, or OSM .osm.pbf/.osm files",
    },
    "zonebuild.zones_need_point_linestring": {
        "id": "{where} adalah {geom_type}; zona memerlukan Point, LineString atau Polygon (atau Multi*)",
        "en": "{where} is a {geom_type}; zones need a Point, LineString or Polygon (or Multi*)",
    },
    "zonecache.cannot_read_zones_file": {
        "id": "berkas zona tidak dapat dibaca: {strerror}",
        "en": "cannot read zones file: {strerror}",
    },
    "zonecache.exists_not_atribut_rules": {
        "id": "sudah ada dan bukan cache zona atribut-rules, jadi tidak ditimpa",
        "en": "exists and is not an atribut-rules zone cache, so it is not replaced",
    },
    "zonecache.give_zones_cache_new_hint": {
        "id": "beri --zones-cache path baru (mis. zones.cache.npz), atau hapus berkas itu jika tidak diperlukan",
        "en": "give --zones-cache a new path (e.g. zones.cache.npz), or delete that file if it is not needed",
    },
    "zones.add_property_give_layer_hint": {
        "id": "tambahkan properti itu, atau beri lapisan sebuah kategori (--zones KATEGORI=BERKAS)",
        "en": "add the property, or give the layer a category (--zones CATEGORY=FILE)",
    },
    "zones.bad_geometry": {"id": "{wheres}: {explain}", "en": "{wheres}: {explain}"},
    "zones.check_export_drop_layer_hint": {
        "id": "periksa hasil ekspor atau jangan pakai lapisan ini",
        "en": "check the export or drop the layer",
    },
    "zones.coordinate_integer_characters_too": {
        "id": "{where}: sebuah koordinat adalah bilangan bulat {length} karakter, angka yang terlalu besar",
        "en": "{where}: a coordinate is an integer of {length} characters, too large a number",
    },
    "zones.coordinates_longitude_latitude_degrees_hint": {
        "id": "koordinat adalah bujur dan lintang dalam derajat (WGS84)",
        "en": "coordinates are longitude and latitude in degrees (WGS84)",
    },
    "zones.coordinates_not_finite_numbers": {
        "id": "{wheres} memiliki koordinat yang bukan angka terhingga",
        "en": "{wheres} has coordinates that are not finite numbers",
    },
    "zones.coordinates_not_finite_numbers_2": {
        "id": "{where} memiliki koordinat yang bukan angka terhingga",
        "en": "{where} has coordinates that are not finite numbers",
    },
    "zones.coordinates_outside_longitude_latitude": {
        "id": "{wheres} memiliki koordinat ({b:.6g}, {b_2:.6g}) di luar rentang bujur/lintang: tampaknya terproyeksi",
        "en": "{wheres} has coordinates ({b:.6g}, {b_2:.6g}) outside longitude/latitude range: they look projected",
    },
    "zones.duplicate_zone_id_also": {
        "id": "id zona {zid!r} ganda (juga di {value})",
        "en": "duplicate zone id {zid!r} (also in {value})",
    },
    "zones.empty_geometry": {
        "id": "{wheres} memiliki geometri kosong",
        "en": "{wheres} has an empty geometry",
    },
    "zones.expected_geojson_featurecollection_found": {
        "id": "seharusnya GeoJSON FeatureCollection, ditemukan {kind!r}",
        "en": "expected a GeoJSON FeatureCollection, found {kind!r}",
    },
    "zones.feature_not_object": {"id": "fitur #{n} bukan objek", "en": "feature #{n} is not an object"},
    "zones.feature_not_valid_unicode": {
        "id": "fitur #{n}: {name} {value} bukan teks Unicode yang sah (berisi separuh pasangan surrogate, mis. \\ud800)",
        "en": "feature #{n}: {name} {value} is not valid Unicode text (it holds half of a surrogate pair, e.g. \\ud800)",
    },
    "zones.feature_properties_not_object": {
        "id": "fitur #{n}: properties bukan objek",
        "en": "feature #{n}: properties is not an object",
    },
    "zones.features_not_list": {"id": "'features' bukan daftar", "en": "'features' is not a list"},
    "zones.fix_coordinates_every_ring_hint": {
        "id": "perbaiki koordinatnya; setiap ring harus berisi 4 posisi atau lebih dan berakhir di titik awalnya",
        "en": "fix the coordinates; every ring must have 4 or more positions and end where it starts",
    },
    "zones.fix_gis_let_atribut_hint": {
        "id": "perbaiki di GIS, atau biarkan atribut-rules memperbaikinya (--repair-zones)",
        "en": "fix it in a GIS, or let atribut-rules repair it (--repair-zones)",
    },
    "zones.geometry": {
        "id": "{where}: geometri {value}{value_2}",
        "en": "{where} has {value} geometry{value_2}",
    },
    "zones.geometry_type": {"id": " (tipe {kind})", "en": " type {kind}"},
    "zones.give_every_zone_feature_hint": {
        "id": "beri setiap fitur zona id sendiri",
        "en": "give every zone feature its own id",
    },
    "zones.invalid_geometry_detail": {
        "id": "{kind} tidak sah: {problems}",
        "en": "invalid {kind}: {problems}",
    },
    "zones.no_geometry": {"id": "tidak ada", "en": "no"},
    "zones.no_property": {
        "id": "{where} tidak memiliki properti {cat_prop!r}",
        "en": "{where} has no {cat_prop!r} property",
    },
    "zones.radius_m_integer_characters": {
        "id": "{where}: radius_m adalah bilangan bulat {length} karakter, angka yang terlalu besar",
        "en": "{where}: radius_m is an integer of {length} characters, too large a number",
    },
    "zones.radius_m_not_number": {
        "id": "{where}: radius_m {r} bukan angka meter >= 0",
        "en": "{where}: radius_m {r} is not a number of metres >= 0",
    },
    "zones.reproject_layer_wgs84_epsg_hint": {
        "id": "proyeksikan ulang lapisan ke WGS84 (EPSG:4326) lon/lat",
        "en": "reproject the layer to WGS84 (EPSG:4326) lon/lat",
    },
    "zones.unknown_category": {
        "id": "{where} memiliki kategori yang tidak dikenal {cat}",
        "en": "{where} has unknown category {cat}",
    },
    "zones.unreadable_geometry": {
        "id": "{where}: geometri tidak terbaca ({exc})",
        "en": "{where}: unreadable geometry ({exc})",
    },
    "zones.unreadable_geometry_detail": {
        "id": "geometri tidak terbaca ({exc})",
        "en": "unreadable geometry ({exc})",
    },
    "zones.unreadable_geometry_plain": {"id": "geometri tidak terbaca", "en": "unreadable geometry"},
    "zones.unsupported_geometry": {"id": "tidak didukung", "en": "an unsupported"},
    "zones.use_one_hint": {"id": "gunakan salah satu dari: {names}", "en": "use one of: {names}"},
    "zones.where": {"id": "zona {zone} (fitur #{n})", "en": "zone {zone} (feature #{n})"},
    "zones.write_radius_metres_hint": {"id": "tulis radius dalam meter", "en": "write the radius in metres"},
    "zones.write_text_again_hint": {"id": "tulis ulang teksnya", "en": "write the text again"},
    "zones.zone_feature_invalid_geometry": {
        "id": "zona {ids!r} (fitur #{value}) memiliki geometri yang tidak sah: {reason}",
        "en": "zone {ids!r} (feature #{value}) has an invalid geometry: {reason}",
    },
    "zones.zone_layer_no_features": {
        "id": "lapisan zona tidak berisi fitur",
        "en": "zone layer has no features",
    },
    "zones.zones_need_point_linestring_hint": {
        "id": "zona memerlukan geometri Point, LineString atau Polygon (atau Multi*)",
        "en": "zones need a Point, LineString or Polygon (or Multi*) geometry",
    },
    # -- the parts of every error line, the command line's own lines, coverage gaps, what files are
    "error.rule": {"id": " (aturan {rule})", "en": " (rule {rule})"},
    "error.field": {"id": " (kolom {field})", "en": " (field {field})"},
    "cli.kind_error": {"id": "kesalahan", "en": "error"},
    "cli.kind_warning": {"id": "peringatan", "en": "warning"},
    "cli.kind_stopped": {"id": "dihentikan", "en": "stopped"},
    "cli.kind_info": {"id": "info", "en": "info"},
    "cli.kind_internal_error": {"id": "kesalahan internal", "en": "internal error"},
    "cli.terminated": {
        "id": "dihentikan (SIGTERM); berkas keluaran dibiarkan seperti semula",
        "en": "terminated (SIGTERM); output files were left as they were",
    },
    "cli.interrupted": {"id": "dibatalkan", "en": "interrupted"},
    "cli.internal": {
        "id": "{kind}: {exc} (atur ATRIBUT_RULES_DEBUG=1 untuk rinciannya dan mohon laporkan)",
        "en": "{kind}: {exc} (set ATRIBUT_RULES_DEBUG=1 for details and please report it)",
    },
    "cli.partial_run": {"id": "pemeriksaan sebagian: {gap}", "en": "partial run: {gap}"},
    "cli.cases_needs_one_rule_set": {
        "id": "--cases memerlukan tepat satu himpunan aturan",
        "en": "--cases needs exactly one rule set",
    },
    "cli.no_zone_features": {
        "id": "tidak ada fitur zona yang dihasilkan; tidak ada yang ditulis",
        "en": "no zone features were produced; nothing written",
    },
    "cli.zones_built": {
        "id": "{records} rekaman dibaca, {total} zona ditulis ({counts}); dikecualikan {excluded}, tidak cocok {unmatched}, ditinggalkan karena kesalahan {errors}",
        "en": "{records} records read, {total} zones written ({counts}); excluded {excluded}, unmatched {unmatched}, left out for errors {errors}",
    },
    "cli.zones_excluded": {"id": "  dikecualikan {n}: {reason}", "en": "  excluded {n}: {reason}"},
    "cli.zones_unmatched_classes": {
        "id": "  kelas yang tidak cocok: {shown}{more}",
        "en": "  unmatched classes: {shown}{more}",
    },
    "cli.zones_more_classes": {"id": ", ... ({count} kelas lagi)", "en": ", ... ({count} more classes)"},
    "coverage.more_rules": {"id": "dan {count} lagi", "en": "and {count} more"},
    "coverage.closest": {"id": " (yang termuat paling mirip: {names})", "en": " (closest loaded: {names})"},
    "coverage.zone_category": {
        "id": "tidak ada lapisan zona yang memuat kategori {name}{also}, yang diperlukan aturan {rules}; tambahkan dengan --zones {category}=BERKAS, matikan aturan itu di himpunan aturan turunan, atau jalankan dengan --partial untuk menandainya tidak diperiksa",
        "en": "no zone layer provides the category {name}{also}, which rule(s) {rules} need; add it with --zones {category}=FILE, switch the rule(s) off in a child rule set, or run with --partial to mark them unchecked",
    },
    "coverage.zone": {
        "id": "tidak ada zona termuat dengan id {name}, yang diperlukan aturan {rules}; muat lapisan yang memuatnya, matikan aturan itu, atau jalankan dengan --partial untuk menandainya tidak diperiksa",
        "en": "no loaded zone has the id {name}, which rule(s) {rules} need; load the layer that holds it, switch the rule(s) off, or run with --partial to mark them unchecked",
    },
    "coverage.field": {
        "id": "laporan tidak memiliki kolom {name}{also}, yang diperlukan aturan {rules}; tambahkan kolomnya (header dicocokkan tanpa memedulikan huruf besar/kecil, spasi, titik dan tanda hubung), perbaiki kolom di aturan, atau jalankan dengan --partial untuk menandainya tidak diperiksa",
        "en": "the reports have no column {name}{also}, which rule(s) {rules} need; add the column (headers are matched ignoring case, spaces, dots and hyphens), fix the rule's field, or run with --partial to mark them unchecked",
    },
    "coverage.partial_zone_category": {
        "id": "tidak ada lapisan zona kategori {name}: aturan {rules} tidak diperiksa di mana pun berlaku",
        "en": "no zone layer of category {name}: rule(s) {rules} are unchecked wherever they apply",
    },
    "coverage.partial_zone": {
        "id": "tidak ada zona dengan id {name}: aturan {rules} tidak diperiksa di mana pun berlaku",
        "en": "no zone with id {name}: rule(s) {rules} are unchecked wherever they apply",
    },
    "coverage.partial_field": {
        "id": "tidak ada kolom laporan {name}: aturan {rules} tidak diperiksa di mana pun berlaku",
        "en": "no report column {name}: rule(s) {rules} are unchecked wherever they apply",
    },
    "input.not_regular_file": {
        "id": "{what} bukan berkas biasa ({kind})",
        "en": "{what} is not a regular file ({kind})",
    },
    "input.cannot_open": {
        "id": "{what} tidak dapat dibuka: {strerror}",
        "en": "cannot open {what}: {strerror}",
    },
    "input.too_large": {
        "id": "{what} berukuran {size} byte, melebihi batas {max_bytes}",
        "en": "{what} is {size} bytes, more than the limit of {max_bytes}",
    },
    "input.cannot_read": {
        "id": "{what} tidak dapat dibaca: {strerror}",
        "en": "cannot read {what}: {strerror}",
    },
    "input.split_or_raise_limit_hint": {
        "id": "pecah berkasnya atau naikkan batasnya",
        "en": "split the file or raise the limit",
    },
    "input.give_file_path_hint": {
        "id": "berikan path sebuah berkas (perangkat, FIFO, socket dan folder tidak dibaca)",
        "en": "give the path of a file (devices, FIFOs, sockets and folders are not read)",
    },
    "output.no_folder_hint": {
        "id": "folder {folder} tidak ada; buat foldernya atau tulis ke tempat lain",
        "en": "the folder {folder} does not exist; create it or write somewhere else",
    },
    "output.part_is_file_hint": {
        "id": "sebagian dari {folder} adalah berkas, bukan folder; pilih path lain",
        "en": "part of {folder} is a file, not a folder; choose another path",
    },
    "output.path_is_folder_hint": {
        "id": "path itu sebuah folder; berikan nama berkas (misalnya di dalamnya)",
        "en": "the path is a folder; give a file name (inside it, for example)",
    },
    "output.no_permission_hint": {
        "id": "tidak ada izin menulis di sana; pilih folder yang boleh Anda tulisi (bukan {folder})",
        "en": "no permission to write there; choose a folder you may write to (not {folder})",
    },
    "output.disk_full_hint": {
        "id": "disk penuh (atau kuota tercapai); kosongkan sebagian ruang atau tulis ke disk lain",
        "en": "the disk is full (or the quota reached); free some space or write to another disk",
    },
    "output.read_only_hint": {
        "id": "sistem berkas hanya-baca; tulis ke tempat lain",
        "en": "the file system is read-only; write somewhere else",
    },
    "output.check_path_disk_hint": {"id": "periksa path dan disknya", "en": "check the path and the disk"},
    "noun.input_file": {"id": "berkas masukan", "en": "input file"},
    "noun.output_folder": {"id": "folder keluaran", "en": "output folder"},
    "noun.reports_file": {"id": "berkas laporan", "en": "reports file"},
    "noun.zone_file": {"id": "berkas zona", "en": "zone file"},
    "noun.zones_file": {"id": "berkas zona", "en": "zones file"},
    "noun.zone_layer": {"id": "lapisan zona", "en": "zone layer"},
    "noun.zone_cache_file": {"id": "berkas cache zona", "en": "zone cache file"},
    "noun.zone_source": {"id": "sumber zona", "en": "zone source"},
    "noun.rule_file": {"id": "berkas aturan", "en": "rule file"},
    "noun.permits_file": {"id": "berkas izin", "en": "permits file"},
    "noun.mapping_file": {"id": "berkas mapping", "en": "mapping file"},
    "noun.photo": {"id": "foto", "en": "photo"},
    "noun.photos_zip": {"id": "zip foto", "en": "photos zip"},
    "noun.output": {"id": "keluaran", "en": "output"},
    "noun.the_standard_output": {"id": "keluaran standar", "en": "the standard output"},
    "noun.a_regular_file": {"id": "berkas biasa", "en": "a regular file"},
    "noun.a_folder": {"id": "sebuah folder", "en": "a folder"},
    "noun.a_character_device": {"id": "perangkat karakter", "en": "a character device"},
    "noun.a_block_device": {"id": "perangkat blok", "en": "a block device"},
    "noun.a_fifo_named_pipe": {"id": "FIFO (named pipe)", "en": "a FIFO (named pipe)"},
    "noun.a_socket": {"id": "socket", "en": "a socket"},
    "noun.not_a_regular_file": {"id": "bukan berkas biasa", "en": "not a regular file"},
    "web.needs_extra": {
        "id": "atribut-rules serve memerlukan {names}, yang belum terpasang",
        "en": "atribut-rules serve needs {names}, which is not installed",
    },
    "web.needs_extras": {
        "id": "atribut-rules serve memerlukan {names}, yang belum terpasang",
        "en": "atribut-rules serve needs {names}, which are not installed",
    },
    "web.install_extra_hint": {
        "id": 'pasang dengan: pip install "atribut-rules[web]"',
        "en": 'install them with: pip install "atribut-rules[web]"',
    },
    "web.option_out_of_range": {
        "id": "{option} {value} di luar rentang",
        "en": "{option} {value} is out of range",
    },
    "web.give_positive_hint": {"id": "beri {option} yang positif", "en": "give a positive {option}"},
    "web.keep_minutes_not_positive": {
        "id": "--keep-minutes {value} tidak positif",
        "en": "--keep-minutes {value} is not positive",
    },
    "web.no_zones_dir": {
        "id": "--zones-dir {folder}: folder tidak ada",
        "en": "--zones-dir {folder}: no such folder",
    },
    "lint.where_rule": {"id": "{ruleset}: aturan {rule}", "en": "{ruleset}: rule {rule}"},
    "lint.no_jurisdiction": {"id": "ruleset.jurisdiction tidak ada", "en": "ruleset.jurisdiction is missing"},
    "lint.no_effective": {
        "id": "ruleset.effective (tanggal from/to) tidak ada",
        "en": "ruleset.effective (from/to dates) is missing",
    },
    "lint.no_set_title": {
        "id": "ruleset.title tidak punya teks {lang}",
        "en": "ruleset.title has no {lang} text",
    },
    "lint.no_rule_tests": {"id": "tidak ada uji aturan di {file}", "en": "no rule tests at {file}"},
    "lint.no_legal_basis": {"id": "tidak punya legal_basis", "en": "has no legal_basis"},
    "lint.no_legal_basis_in": {
        "id": "tidak punya legal_basis dalam {lang} (legal_basis.{lang})",
        "en": "has no legal_basis in {lang} (legal_basis.{lang})",
    },
    "lint.no_text_in": {
        "id": "tidak punya {key} dalam {lang} ({key}.{lang})",
        "en": "has no {key} in {lang} ({key}.{lang})",
    },
    "lint.no_violating_case": {
        "id": "tidak ada kasus uji yang mengharapkan pelanggarannya",
        "en": "no test case expects a violation of it",
    },
    "lint.no_passing_case": {
        "id": "tidak ada kasus uji yang mengharapkannya lolos (ok)",
        "en": "no test case expects it to pass (ok)",
    },
    "cases.fail_head": {"id": "GAGAL {name} ({where})", "en": "FAIL {name} ({where})"},
    "cases.mismatch": {
        "id": "laporan {report}, aturan {rule}: diharapkan {expected}, hasilnya {got}",
        "en": "report {report}, rule {rule}: expected {expected}, got {got}",
    },
    "cases.needs_unloaded": {
        "id": "memerlukan lapisan zona atau kolom yang tidak dimuat kasus ini",
        "en": "needs a zone layer or column the case does not load",
    },
    "test.summary": {
        "id": "{passed} lolos, {failed} gagal, {problems} masalah lint",
        "en": "{passed} passed, {failed} failed, {problems} lint problems",
    },
    "xlsx.cell_twice": {
        "id": "sel itu muncul dua kali dalam baris",
        "en": "the cell appears twice in the row",
    },
    "xlsx.cell_not_a_reference": {
        "id": "bukan rujukan sel (kolom dari A sampai XFD)",
        "en": "not a cell reference (columns go from A to XFD)",
    },
    "xlsx.cell_beyond_xfd": {"id": "sel di luar kolom XFD", "en": "a cell beyond column XFD"},
    "xlsx.cell_not_date_serial": {
        "id": "{value} bukan nomor seri tanggal",
        "en": "{value} is not a date serial number",
    },
    "xlsx.cell_no_shared_string": {
        "id": "shared string {value} tidak ada",
        "en": "shared string {value} does not exist",
    },
    "xlsx.cell_not_boolean": {
        "id": "{value} bukan boolean (0 atau 1)",
        "en": "{value} is not a boolean (0 or 1)",
    },
    "xlsx.cell_not_iso_date": {
        "id": "{value} bukan tanggal ISO 8601",
        "en": "{value} is not an ISO 8601 date",
    },
    "xlsx.cell_unknown_type": {"id": "jenis sel t={kind} tidak dikenal", "en": "unknown cell type t={kind}"},
    "xlsx.cell_not_number": {"id": "{value} bukan angka", "en": "{value} is not a number"},
    "xlsx.cell_not_finite": {"id": "{value} bukan angka terhingga", "en": "{value} is not a finite number"},
}
