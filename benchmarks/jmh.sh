#!/usr/bin/env bash
# JMH benchmarks of the gateway's Java hot path (environ encoding, a frame round trip with a
# stand-in worker), with allocation per operation (-prof gc).
#
#   benchmarks/jmh.sh                   # quick: 1 fork, 3 x 2 s warm-up, 5 x 2 s measurement
#   JMH_ARGS="-f 3 -wi 5 -i 10" benchmarks/jmh.sh
set -euo pipefail
cd "$(dirname "$0")/.."
./mvnw -q -B install -DskipTests
# clean: the compiler does not notice when only the library it compiles against has changed.
(cd benchmarks/jmh && ../../mvnw -q -B clean package -DskipTests)
java -jar benchmarks/jmh/target/benchmarks.jar -prof gc ${JMH_ARGS:--f 1 -wi 3 -w 2s -i 5 -r 2s} \
    | grep -E "^Benchmark|HotPathBenchmark\.[a-zA-Z]+ |gc.alloc.rate.norm "
