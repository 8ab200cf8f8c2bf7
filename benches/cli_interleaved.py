#!/usr/bin/env python3
"""Whole-process sign/verify timing of tokensmith and jwt-cli, interleaved run by run so that
machine drift hits both alike (hyperfine runs one command after the other). Not a test.

  cargo build --release; python3 benches/cli_interleaved.py [RUNS]   (jwt-cli at $JWT_CLI,
  tokensmith at $TOKENSMITH, default the plain release build, target/release/tokensmith; the static build is
  target/x86_64-unknown-linux-musl/static/tokensmith)
"""
import os, subprocess, time, statistics, sys
root=os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
ts=os.environ.get("TOKENSMITH",os.path.join(root,"target/release/tokensmith")); jwt=os.environ.get("JWT_CLI","/tmp/jwtcli/bin/jwt"); K=os.path.join(root,"tests/fixtures/keys")
import tempfile
env=dict(os.environ, TOKENSMITH_HOME=tempfile.mkdtemp(), BS="tokensmith-bench-secret-0123456789abcdef")
hs=subprocess.run([ts,"sign","-p","generic-hs256","--secret-env","BS"],env=env,capture_output=True,text=True).stdout.strip()
rs=subprocess.run([ts,"sign","-p","generic-rs256","--key-file",f"{K}/rsa2048-pkcs8.pem"],env=env,capture_output=True,text=True).stdout.strip()
pairs={
 "sign HS256":([ts,"sign","-p","generic-hs256","--secret-env","BS"],[jwt,"encode","-S",env["BS"],'{"sub":"user-123"}']),
 "sign RS256":([ts,"sign","-p","generic-rs256","--key-file",f"{K}/rsa2048-pkcs8.pem"],[jwt,"encode","-A","RS256","-S",f"@{K}/rsa2048-pkcs8.pem",'{"sub":"user-123"}']),
 "verify HS256":([ts,"verify",hs,"--secret-env","BS"],[jwt,"decode","-S",env["BS"],hs]),
 "verify RS256":([ts,"verify",rs,"--key-file",f"{K}/rsa2048-pub-spki.pem"],[jwt,"decode","-A","RS256","-S",f"@{K}/rsa2048-pub-spki.pem",rs]),
}
N=int(sys.argv[1]) if len(sys.argv)>1 else 400
print("| whole process, interleaved, median of %d | tokensmith | jwt-cli 6.2 | ratio |"%N); print("|---|---|---|---|")
for name,(a,b) in pairs.items():
    ta=[];tb=[]
    for i in range(N):
        for cmd,acc in ((a,ta),(b,tb)) if i%2==0 else ((b,tb),(a,ta)):
            t=time.perf_counter(); r=subprocess.run(cmd,env=env,stdout=subprocess.DEVNULL,stderr=subprocess.DEVNULL); acc.append(time.perf_counter()-t)
            assert r.returncode==0,(cmd,r.returncode)
    ma,mb=statistics.median(ta),statistics.median(tb)
    print(f"| {name} | {ma*1000:.2f} ms | {mb*1000:.2f} ms | {ma/mb:.2f}x |")
