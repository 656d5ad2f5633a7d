// Per-module gzip-ish attribution: bytes of generated code per source, scaled by chunk gzip ratio.
const fs=require('fs'),path=require('path'),zlib=require('zlib');
const {SourceMapConsumer}=require('source-map');
const dir=process.argv[2];
const only=process.argv[3]?new Set(process.argv[3].split(',')):null;
(async()=>{
 const total={}; let all=0;
 for (const f of fs.readdirSync(dir).filter(f=>f.endsWith('.js'))){
  if(only && !only.has(f)) continue;
  const code=fs.readFileSync(path.join(dir,f),'utf8');
  const gz=zlib.gzipSync(code,{level:9}).length; all+=gz;
  const ratio=gz/code.length;
  let map; try{map=JSON.parse(fs.readFileSync(path.join(dir,(code.match(/sourceMappingURL=(\S+)/)||[])[1]||f+'.map'),'utf8'));}catch{continue}
  const lines=code.split('\n');
  const per={};
  const c=new SourceMapConsumer(map);
  let prev=null;
  c.eachMapping(mp=>{
    const line=mp.generatedLine; const col=mp.generatedColumn;
    if(prev){ const len = prev.line===line? col-prev.col : (lines[prev.line-1]||'').length-prev.col; per[prev.src]=(per[prev.src]||0)+Math.max(0,len);}
    prev={line,col,src:mp.source||'?'};
  });
  const chunkTotal={};
  for(const [s,b] of Object.entries(per)){
    let k=s.replace(/^.*node_modules\//,'nm/');
    k=k.startsWith('nm/')? k.split('/').slice(0, k.split('/')[1].startsWith('@')?3:2).join('/') : k.replace(/^.*\[project\]\//,'').replace(/^turbopack:\/\/\/\[project\]\//,'');
    if(!k.startsWith('nm/')) k='own:'+k.split('/').slice(0,2).join('/');
    chunkTotal[k]=(chunkTotal[k]||0)+b*ratio; total[k]=(total[k]||0)+b*ratio;
  }
  const top=Object.entries(chunkTotal).sort((a,b)=>b[1]-a[1]).slice(0,6).map(([k,v])=>k+'='+(v/1024).toFixed(1)).join(' ');
  console.log(f, (gz/1024).toFixed(1)+'KB', top);
 }
 console.log('TOTAL', (all/1024).toFixed(1));
 for (const [k,v] of Object.entries(total).sort((a,b)=>b[1]-a[1]).slice(0,40)) console.log((v/1024).toFixed(1).padStart(7),k);
})();
