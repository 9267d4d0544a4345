# Alpine 3.20.3's official minirootfs (the root file system the alpine image is made of), whose apk installs
# from the stand-in package repository (verify/images/alpine/repository.sh, served on 127.0.0.1:8377 while a
# case builds) and trusts its key. Build context: that script's cache folder.
FROM scratch
ADD rootfs.tar.gz /
COPY key/slimfile-verify.rsa.pub /etc/apk/keys/slimfile-verify.rsa.pub
RUN echo http://127.0.0.1:8377/v3.20/main > /etc/apk/repositories
ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
CMD ["/bin/sh"]
