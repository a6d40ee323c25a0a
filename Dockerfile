# syntax=docker/dockerfile:1

# Build a static storybot binary. Modules are downloaded in their own layer,
# so editing code does not download them again; the build cache is a cache
# mount, so rebuilds compile only what changed.
FROM golang:1.26 AS build
WORKDIR /src
# GOTOOLCHAIN=auto fetches the go.mod toolchain if the image is older.
ENV CGO_ENABLED=0 GOFLAGS=-mod=readonly GOTOOLCHAIN=auto
COPY go.mod go.sum ./
RUN go mod download && go mod verify
COPY . .
ARG VERSION=dev
RUN --mount=type=cache,target=/root/.cache/go-build \
    CGO_ENABLED=0 go build -trimpath -ldflags="-s -w -X main.version=${VERSION}" \
        -o /out/storybot ./cmd/storybot \
 && mkdir -p /out/data

# Run it as a non-root user in a minimal image (CA certificates, tzdata and
# /etc/passwd included, no shell). Zone data is also embedded in the binary.
FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/storybot /storybot
# The data folder must exist and belong to nonroot (uid 65532) before VOLUME,
# or a fresh volume would be created owned by root and not writable.
COPY --from=build --chown=65532:65532 /out/data /data
USER 65532:65532
ENV STORYBOT_DATA=/data \
    STORYBOT_ADDR=:8080
VOLUME /data
EXPOSE 8080
# The image has no shell: the binary asks its own /healthz.
HEALTHCHECK --interval=30s --timeout=5s --start-period=10s --retries=3 CMD ["/storybot", "health"]
ENTRYPOINT ["/storybot"]
CMD ["serve"]
