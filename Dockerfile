# syntax=docker/dockerfile:1
# coinw-exporter and the coinw-sim simulator in one image.
#
#   docker build -t coinw-exporter .
#   docker run -p 9866:9866 -v /path/to/config.yml:/etc/coinw-exporter/config.yml:ro coinw-exporter
#
# The exporter reads its configuration from /etc/coinw-exporter/config.yml
# (mount it; it holds API keys, so keep it out of the image). Run the simulator
# with `--entrypoint coinw-sim`.

FROM debian:12-slim AS build
WORKDIR /src
# Dependencies first, so that source edits do not invalidate the apt layer.
COPY scripts/install-deps.sh scripts/install-deps.sh
RUN scripts/install-deps.sh
COPY . .
RUN cmake -S . -B build -DCMAKE_BUILD_TYPE=Release -DBUILD_TESTING=OFF \
 && cmake --build build -j"$(nproc)" \
 && strip build/src/app/coinw_exporter build/src/app/coinw-sim

FROM debian:12-slim
COPY scripts/install-deps.sh /tmp/install-deps.sh
RUN /tmp/install-deps.sh --runtime && rm -rf /tmp/install-deps.sh /var/lib/apt/lists/*
COPY --from=build /src/build/src/app/coinw_exporter /src/build/src/app/coinw-sim /usr/local/bin/
# Fail the image build, not the first container start, if the runtime package
# list misses a library the binaries link against.
RUN ! ldd /usr/local/bin/coinw_exporter /usr/local/bin/coinw-sim | grep "not found"
RUN useradd --system --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin coinw \
 && mkdir -p /etc/coinw-exporter
# global.state_dir of the compose demo: mount a volume here to keep the cache across restarts.
RUN mkdir -p /var/lib/coinw-exporter && chown coinw /var/lib/coinw-exporter
VOLUME /var/lib/coinw-exporter
USER coinw
EXPOSE 9866
ENTRYPOINT ["coinw_exporter"]
CMD ["--config.file=/etc/coinw-exporter/config.yml"]
