# syntax=docker/dockerfile:1
# Two images from one build: the exporter (default target) and the CoinW
# simulator (target `sim`).
#
#   docker build --build-arg REVISION=$(git rev-parse --short=12 HEAD) \
#     --build-arg SOURCE_URL=$(git remote get-url origin) -t coinw-exporter .
#   docker build --target sim -t coinw-sim .
#   docker run -p 127.0.0.1:9866:9866 \
#     -v /path/to/config.yml:/etc/coinw-exporter/config.yml:ro coinw-exporter
#
# The exporter reads /etc/coinw-exporter/config.yml (mount it; it holds API
# keys, so keep it out of the image). scripts/container-test.sh builds and runs
# both with podman. BASE lets it use a local debootstrapped Debian 12 where no
# registry can be reached.
ARG BASE=debian:12-slim

FROM ${BASE} AS build
WORKDIR /src
# Dependencies first, so that source edits do not invalidate the apt layer.
COPY scripts/install-deps.sh scripts/install-deps.sh
RUN scripts/install-deps.sh --build-only && rm -rf /var/lib/apt/lists/*
# Only what the binaries are built from: editing tests or other docs keeps this
# layer. The runbook is compiled into the exporter, which serves it at /runbook.
COPY CMakeLists.txt ./
COPY cmake cmake
COPY bench bench
COPY src src
COPY docs/runbook.md docs/runbook.md
# .dockerignore drops .git, so the revision comes in as an argument.
ARG REVISION=unknown
# The ccache cache mount makes rebuilds after a source edit incremental.
RUN --mount=type=cache,target=/root/.cache/ccache \
    cmake -S . -B build -DCMAKE_BUILD_TYPE=Release -DBUILD_TESTING=OFF -DCOINW_REVISION="${REVISION}" \
 && cmake --build build -j"$(nproc)" --target coinw_exporter coinw-sim coinw_healthcheck \
 && strip build/src/app/coinw_exporter build/src/app/coinw-sim build/src/app/coinw_healthcheck

FROM ${BASE} AS runtime
COPY scripts/install-deps.sh /tmp/install-deps.sh
RUN /tmp/install-deps.sh --runtime && rm -rf /tmp/install-deps.sh /var/lib/apt/lists/*
COPY --from=build /src/build/src/app/coinw_healthcheck /usr/local/bin/
# A numeric user, so that Kubernetes' runAsNonRoot can verify it without /etc/passwd.
RUN groupadd --gid 10001 coinw \
 && useradd --uid 10001 --gid 10001 --no-create-home --home-dir /nonexistent \
            --shell /usr/sbin/nologin coinw \
 && mkdir -p /etc/coinw-exporter /var/lib/coinw-exporter \
 && chown 10001:10001 /var/lib/coinw-exporter
# For global.state_dir: mount a volume here to keep the cache across restarts.
# No VOLUME: it would leave an anonymous volume behind every `docker run`
# that did not ask for one, also for configurations without state_dir.
ARG REVISION=unknown
# The project's version (CMakeLists.txt; tests/rules/lint_deploy.py keeps them equal).
ARG VERSION=0.1.0
# Where the source is published: the repository's URL (the git remote).
ARG SOURCE_URL=""
# Written down also because buildah 1.28 (Debian 12's podman) keys a LABEL
# layer on its unexpanded text and would keep a stale revision; a RUN step is
# keyed on the build arguments' values and so refreshes the LABEL after it.
RUN mkdir -p /usr/share/doc/coinw-exporter \
 && echo "coinw-exporter ${VERSION} ${REVISION} ${SOURCE_URL}" > /usr/share/doc/coinw-exporter/revision
LABEL org.opencontainers.image.licenses="Apache-2.0" \
      org.opencontainers.image.vendor="coinw-exporter" \
      org.opencontainers.image.revision="${REVISION}" \
      org.opencontainers.image.version="${VERSION}" \
      org.opencontainers.image.source="${SOURCE_URL}" \
      org.opencontainers.image.url="${SOURCE_URL}" \
      org.opencontainers.image.documentation="file:///usr/share/doc/coinw-exporter/README.md"
USER 10001:10001

FROM runtime AS sim
COPY --from=build /src/build/src/app/coinw-sim /usr/local/bin/
# Fail the image build, not the first container start, if a library is missing.
RUN ! ldd /usr/local/bin/coinw-sim /usr/local/bin/coinw_healthcheck | grep "not found"
LABEL org.opencontainers.image.title="coinw-sim" \
      org.opencontainers.image.description="Simulator of the CoinW API endpoints used by coinw-exporter (tests and demos only)"
EXPOSE 8790
HEALTHCHECK --interval=10s --timeout=6s --start-period=5s --retries=3 \
  CMD ["coinw_healthcheck", "http://127.0.0.1:8790/admin/counters"]
ENTRYPOINT ["coinw-sim"]
CMD ["--listen=0.0.0.0:8790"]

FROM runtime AS exporter
COPY --from=build /src/build/src/app/coinw_exporter /usr/local/bin/
COPY README.md LICENSE /usr/share/doc/coinw-exporter/
COPY docs/ /usr/share/doc/coinw-exporter/docs/
RUN ! ldd /usr/local/bin/coinw_exporter /usr/local/bin/coinw_healthcheck | grep "not found"
LABEL org.opencontainers.image.title="coinw-exporter" \
      org.opencontainers.image.description="Prometheus exporter for CoinW affiliate and sub-account data"
EXPOSE 9866
HEALTHCHECK --interval=30s --timeout=6s --start-period=10s --retries=3 \
  CMD ["coinw_healthcheck", "http://127.0.0.1:9866/-/healthy"]
ENTRYPOINT ["coinw_exporter"]
CMD ["--config.file=/etc/coinw-exporter/config.yml"]
