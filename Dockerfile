# The AIS worker on Bun. Build: docker build -t ais-worker .   Run: see monitoring/docker-compose.yml.
# Stage 1 installs everything (Bun and AssemblyScript are dev dependencies from npm) and builds the
# WASM core in postinstall; stage 2 keeps the production dependencies, the Bun binary and the build.
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
COPY wasm ./wasm
RUN npm ci --no-audit --no-fund \
 && cp node_modules/bun/bin/bun.exe /usr/local/bin/bun \
 && npm prune --omit=dev --no-audit --no-fund

FROM node:20-bookworm-slim
ENV NODE_ENV=production \
    AIS_HOST=0.0.0.0 \
    AIS_PORT=8000 \
    AIS_DB_URL=file:/data/ais.db \
    AIS_DECISION_LOG_PATH=/data/decisions.jsonl
WORKDIR /app
COPY --from=build /usr/local/bin/bun /usr/local/bin/bun
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/wasm/build ./wasm/build
COPY package.json ./
COPY drizzle ./drizzle
COPY src ./src
# The runbooks the console links from its alerts (served at /runbooks/<AlertName>).
COPY docs/runbooks ./docs/runbooks
# The event store and the decision trail live on the volume; the image's `node` user (uid 1000) owns it.
RUN mkdir -p /data && chown node:node /data
USER node
VOLUME ["/data"]
# The JavaScript heap's budget (docs/performance.md, "Memory"): the collector keeps resident memory under 150 MB.
ENV BUN_JSC_forceRAMSize=268435456
EXPOSE 8000
# /health answers 503 only when a component is down; a halted worker (kill switch) stays healthy.
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s \
  CMD ["bun", "-e", "fetch('http://127.0.0.1:8000/health').then(r => process.exit(r.status < 500 ? 0 : 1), () => process.exit(1))"]
CMD ["bun", "src/main/bun.ts"]
