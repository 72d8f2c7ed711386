# syntax=docker/dockerfile:1
# The hiyari container image: the release binary alone on a distroless base (glibc, CA
# certificates, no shell, no package manager), run as a non-root user.
#
#   docker build -t hiyari .
#   docker run --rm -e AWS_REGION -e AWS_ACCESS_KEY_ID -e AWS_SECRET_ACCESS_KEY \
#     -e AWS_SESSION_TOKEN hiyari audit
#
# Published for linux/amd64 and linux/arm64 as ghcr.io/hiyari-dev/hiyari:VERSION by
# .github/workflows/container.yml on every release tag.

FROM rust:1.95-slim-bookworm AS build
WORKDIR /src
COPY . .
# The release profile of Cargo.toml, with the dependencies of Cargo.lock.
RUN --mount=type=cache,target=/usr/local/cargo/registry \
    --mount=type=cache,target=/src/target \
    cargo build --release --locked --bin hiyari \
    && cp target/release/hiyari /hiyari \
    && /hiyari --version

FROM gcr.io/distroless/cc-debian12:nonroot
LABEL org.opencontainers.image.title="hiyari" \
      org.opencontainers.image.description="Audit every enabled region of an AWS account for the mistakes behind real incidents" \
      org.opencontainers.image.source="https://github.com/hiyari-dev/hiyari" \
      org.opencontainers.image.licenses="Apache-2.0"
COPY --from=build /hiyari /usr/local/bin/hiyari
# The nonroot user of the distroless image, by number: Kubernetes checks runAsNonRoot
# against a numeric user.
USER 65532:65532
WORKDIR /home/nonroot
ENTRYPOINT ["/usr/local/bin/hiyari"]
CMD ["--help"]
