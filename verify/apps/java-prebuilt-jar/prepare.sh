#!/usr/bin/env bash
# Builds target/app.jar outside Docker, as the project's own build would before `docker build` (the
# Dockerfile only ADDs the jar): javac and jar from a JDK on this machine (Debian's default-jdk-headless,
# installed when missing), compiled for Java 17, the Java version of the image it runs on.
set -euo pipefail
cd "$(dirname "$0")"
if ! command -v javac >/dev/null || ! command -v jar >/dev/null; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq default-jdk-headless >/dev/null
fi
rm -rf target
mkdir -p target/classes
javac --release 17 -d target/classes $(find src/main/java -name '*.java')
jar --create --file target/app.jar --main-class com.example.greeting.Application -C target/classes .
