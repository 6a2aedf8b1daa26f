#!/usr/bin/env bash
# Packs what the GPU check (bench nvml, docs/benchmarks.md) needs on a machine with an NVIDIA GPU, Python and
# PyTorch but no Java: a jlink'd Java runtime, the compiled classes and the few jars the check loads, into
# .gpucheck/ (ignored by git; about 45 MB). Run there from the repository root:
#   .gpucheck/run.sh OUT_DIR
set -euo pipefail
cd "$(dirname "$0")/../.."
JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
export JAVA_HOME
mvn -B -q compile
mvn -B -q dependency:build-classpath -Dmdep.outputFile=target/classpath.txt
rm -rf .gpucheck && mkdir -p .gpucheck/lib
"$JAVA_HOME/bin/jlink" --add-modules java.base,java.logging,java.management,jdk.management,jdk.unsupported \
  --strip-debug --no-header-files --no-man-pages --compress=zip-9 --output .gpucheck/jre
strip --strip-unneeded .gpucheck/jre/lib/server/libjvm.so .gpucheck/jre/lib/*.so   
tr ':' '\n' < target/classpath.txt | grep -E '/(vertx-core|vertx-core-logging|netty-common|netty-buffer|jackson-core|slf4j-api|jna)-[0-9]' \
  | xargs -I{} cp {} .gpucheck/lib/
# JNA carries native stubs for every platform; the GPU machine is linux x86-64
(cd .gpucheck/lib && zip -q -d jna-*.jar 'com/sun/jna/[a-z]*-*/*' -x 'com/sun/jna/linux-x86-64/*' || true)
cp -r target/classes .gpucheck/classes
cat > .gpucheck/run.sh <<'RUN'
#!/usr/bin/env bash
# The GPU check: the torch engine at Open-Sora v1.1's shapes on GPU 0, metered by the Java NVML sensor and by pynvml.
set -uo pipefail
out=${1:?output directory}
here=$(cd "$(dirname "$0")" && pwd)
mkdir -p "$out"
nvidia-smi --query-gpu=name,driver_version,power.limit,power.draw,clocks.sm,temperature.gpu --format=csv > "$out/gpu.txt" 2>&1
ldconfig -p | grep nvidia-ml >> "$out/gpu.txt" 2>&1
python3 -c "import torch, pynvml; print('torch', torch.__version__, 'cuda', torch.cuda.is_available())" >> "$out/gpu.txt" 2>&1
"$here/jre/bin/java" --enable-native-access=ALL-UNNAMED \
  -cp "$here/classes:$here/lib/*" dev.greenlight.bench.NvmlAgreementCheck --out "$out" "${@:2}" 2>&1 | tee "$out/log.txt"
RUN
chmod +x .gpucheck/run.sh
du -sh .gpucheck
