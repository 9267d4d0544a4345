# eclipse-temurin:N-jdk stand-in: Temurin's images are Ubuntu (noble) with the JDK in /opt/java/openjdk on
# PATH; here Ubuntu's openjdk-N-jdk-headless, linked to the same place (JAVA_HOME=/opt/java/openjdk).
ARG BASE=localhost/ubuntu:noble
FROM ${BASE}
ARG JAVA_VERSION=17
ENV DEBIAN_FRONTEND=noninteractive
RUN apt-get update && apt-get install -y --no-install-recommends openjdk-$JAVA_VERSION-jdk-headless ca-certificates \
 && rm -rf /var/lib/apt/lists/* \
 && mkdir -p /opt/java && ln -s /usr/lib/jvm/java-$JAVA_VERSION-openjdk-amd64 /opt/java/openjdk
ENV JAVA_HOME=/opt/java/openjdk PATH=/opt/java/openjdk/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
CMD ["jshell"]
