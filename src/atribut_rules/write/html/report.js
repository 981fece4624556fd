(function(){
"use strict";
var status=document.getElementById("map-status");
window.addEventListener("error",function(e){status.setAttribute("data-errors",String(e.message));});
var data=JSON.parse(document.getElementById("atribut-data").textContent);
var svg=document.getElementById("map"),NS="http://www.w3.org/2000/svg";
var W=data.view[0],H=data.view[1],b=data.bbox;
var x0=b[0],y0=b[1],k=Math.cos((b[1]+b[3])/2*Math.PI/180),s=data.scale,ox=data.offset[0],oy=data.offset[1];
function px(p){return [ox+(p[0]-x0)*k*s,H-oy-(p[1]-y0)*s];}
function ring(r){return r.map(function(p,i){var q=px(p);return (i?"L":"M")+q[0].toFixed(1)+" "+q[1].toFixed(1);}).join("");}
function el(n,a){var e=document.createElementNS(NS,n);for(var key in a)e.setAttribute(key,a[key]);return e;}
function tip(e,t){var ti=document.createElementNS(NS,"title");ti.textContent=t;e.appendChild(ti);return e;}
svg.setAttribute("viewBox","0 0 "+W+" "+H);
var gz=el("g",{}),gr=el("g",{}),zonesDrawn=0,drawn=0;svg.appendChild(gz);svg.appendChild(gr);
data.zones.forEach(function(z){
 var g=z.g,d="",shape;
 if(g.type==="Polygon"){d=g.coordinates.map(ring).join("Z")+"Z";}
 else if(g.type==="MultiPolygon"){d=g.coordinates.map(function(p){return p.map(ring).join("Z")+"Z";}).join("");}
 else if(g.type==="LineString"){d=ring(g.coordinates);}
 else if(g.type==="MultiLineString"){d=g.coordinates.map(ring).join("");}
 if(g.type==="Point"){var q=px(g.coordinates);shape=el("rect",{x:q[0]-2.5,y:q[1]-2.5,width:5,height:5});}
 else if(g.type==="MultiPoint"){d=g.coordinates.map(function(p){var q=px(p);return "M"+(q[0]-2)+" "+(q[1]-2)+"h4v4h-4Z";}).join("");}
 if(!shape){if(!d)return;shape=el("path",{d:d});}
 var line=g.type.indexOf("Line")>=0;
 shape.setAttribute("class","zone "+z.c);
 if(z.c!=="admin_area"){shape.setAttribute("fill",line?"none":z.f);if(line){shape.setAttribute("stroke",z.f);shape.setAttribute("stroke-width","3");}}
 gz.appendChild(tip(shape,z.t));zonesDrawn++;
});
var rows={};Array.prototype.forEach.call(document.querySelectorAll("#reports tbody tr"),function(tr){rows[tr.getAttribute("data-i")]=tr;});
// each marker: [lon, lat, status, reports it stands for, title, first report's row index]
data.markers.forEach(function(m){
 var q=px(m),n=m[3],r=n>1?Math.min(5+1.5*Math.log(n)/Math.LN2,14):(m[2]==="ok"?3.5:5);
 var c=el("circle",{cx:q[0].toFixed(1),cy:q[1].toFixed(1),r:r.toFixed(1),fill:data.colours[m[2]],"class":n>1?"rep many":"rep"});
 c.setAttribute("data-i",String(m[5]));c.setAttribute("data-n",String(n));
 c.addEventListener("click",function(){var tr=rows[String(m[5])];if(!tr)return;
  Array.prototype.forEach.call(document.querySelectorAll(".hl,.sel"),function(e){e.classList.remove("hl");e.classList.remove("sel");});
  tr.classList.add("hl");c.classList.add("sel");tr.scrollIntoView({block:"center"});});
 gr.appendChild(tip(c,m[4]));drawn+=n;
});
status.setAttribute("data-reports-drawn",String(drawn));
status.setAttribute("data-markers",String(data.markers.length));
status.setAttribute("data-zones-drawn",String(zonesDrawn));
status.textContent=data.labels.drawn;
var table=document.getElementById("reports"),tbody=table.tBodies[0];
var q=document.getElementById("q"),fs=document.getElementById("fstatus"),count=document.getElementById("shown");
function filter(){var t=q.value.toLowerCase(),st=fs.value,n=0;
 Array.prototype.forEach.call(tbody.rows,function(tr){var ok=(!st||tr.getAttribute("data-status")===st)&&(!t||tr.textContent.toLowerCase().indexOf(t)>=0);
  tr.hidden=!ok;if(ok)n++;});count.textContent=String(n);}
q.addEventListener("input",filter);fs.addEventListener("change",filter);
Array.prototype.forEach.call(table.tHead.rows[0].cells,function(th,col){th.addEventListener("click",function(){
 var asc=!th.classList.contains("asc");Array.prototype.forEach.call(table.tHead.rows[0].cells,function(h){h.classList.remove("asc");h.classList.remove("desc");});
 th.classList.add(asc?"asc":"desc");var num=th.getAttribute("data-num")==="1";
 var rs=Array.prototype.slice.call(tbody.rows);rs.sort(function(a,b){
  var x=a.cells[col].getAttribute("data-v"),y=b.cells[col].getAttribute("data-v");
  if(x===null)x=a.cells[col].textContent;if(y===null)y=b.cells[col].textContent;
  var r;if(num){x=x===""?Infinity:parseFloat(x);y=y===""?Infinity:parseFloat(y);r=x-y;}else{r=x.localeCompare(y,undefined,{numeric:true});}
  return asc?r:-r;});rs.forEach(function(tr){tbody.appendChild(tr);});});});
filter();
// the download: every report, as the CSV sheet, gzipped and base64-encoded in the page
var link=document.getElementById("download"),sheet=document.getElementById("atribut-sheet");
function unpack(){
 if(typeof DecompressionStream==="undefined"){link.textContent=data.labels.unsupported;status.setAttribute("data-download","unsupported");return;}
 var bin=atob(sheet.textContent.trim()),bytes=new Uint8Array(bin.length);
 for(var i=0;i<bin.length;i++)bytes[i]=bin.charCodeAt(i);
 new Response(new Blob([bytes]).stream().pipeThrough(new DecompressionStream("gzip"))).arrayBuffer().then(function(buf){
  var lines=0,u=new Uint8Array(buf);for(var j=0;j<u.length;j++)if(u[j]===10)lines++;
  link.href=URL.createObjectURL(new Blob([buf],{type:"text/csv;charset=utf-8"}));
  link.setAttribute("download",sheet.getAttribute("data-name"));link.removeAttribute("aria-disabled");
  link.textContent=data.labels.download;
  status.setAttribute("data-download-bytes",String(u.length));status.setAttribute("data-download-lines",String(lines));
  status.setAttribute("data-download","ready");
 },function(err){status.setAttribute("data-errors","download: "+String(err));});
}
unpack();
window.addEventListener("load",function(){status.setAttribute("data-load-ms",String(Math.round(performance.now())));});
status.setAttribute("data-ready-ms",String(Math.round(performance.now())));
status.setAttribute("data-ready","1");
})();
