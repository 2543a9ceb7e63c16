#!/bin/sh
# The same 10 buildah commands HeroVirt.Builder runs for bench-buildah's
# build, as a user would script them. $1 = base image, $2 = a host file,
# $3 = scratch directory, $4 = image to write.
set -e
ctr=$(buildah from --pull=missing --tls-verify=true --name bench-sh -- "$1")
buildah run -- "$ctr" /bin/sh -c 'mkdir -p /www'
buildah run -- "$ctr" /bin/sh -c 'echo a > /a'
buildah run -- "$ctr" /bin/sh -c 'echo b > /b'
buildah copy -- "$ctr" "$2" /www/host.txt
printf '<h1>bench</h1>' > "$3/content"
buildah copy --chmod 644 -- "$ctr" "$3/content" /www/index.html
buildah config --entrypoint '["/bin/httpd","-f","-p","8080","-h","/www"]' --env A=1 --label bench=1 --port 8080 -- "$ctr"
buildah run -- "$ctr" /bin/sh -c 'test -f /www/index.html'
buildah commit -- "$ctr" "$4" > /dev/null 2>&1
buildah rm -- "$ctr" > /dev/null
