# syntax=docker/dockerfile:1
# The service image: production dependencies only, runs as the unprivileged `node` user.
# Build: docker build -t hubspot-invoicing .   Run with PostgreSQL: docker compose up (compose.yaml).

# 1. Production dependencies. The `extensions/` workspace (the HubSpot cards) is uploaded to
#    HubSpot, not run here, so `--workspaces=false` leaves React and the UI kit out. Install
#    scripts are not needed by any runtime dependency (esbuild's binary comes as an optional package).
FROM node:20-bookworm-slim AS deps
WORKDIR /app
COPY package.json package-lock.json ./
COPY extensions/package.json extensions/package.json
RUN npm ci --omit=dev --workspaces=false --ignore-scripts && npm cache clean --force

# 2. Runtime: the sources (run by tsx, a production dependency), migrations, app.json (its
#    OAuth scopes are read at startup) and the PDF fonts (assets/, read when the PDF renderer loads).
#    Not tools/: the local HubSpot sandbox is a development tool; without HubSpot credentials this
#    image exits with a message saying so (src/sandbox-loader.ts).
FROM node:20-bookworm-slim AS runtime
ENV NODE_ENV=production \
    PORT=3000 \
    DATA_DIR=/data
WORKDIR /app
COPY --from=deps --chown=root:root /app/node_modules ./node_modules
COPY package.json tsconfig.json app.json ./
COPY src ./src
COPY migrations ./migrations
COPY assets ./assets
# Only the data directory is writable by the service (PGlite files when DATABASE_URL is unset).
RUN mkdir -p /data && chown node:node /data
USER node
EXPOSE 3000
HEALTHCHECK --interval=15s --timeout=3s --start-period=30s \
  CMD node -e "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
# node directly (not npm): SIGTERM reaches the service, which drains and closes within 10 s.
STOPSIGNAL SIGTERM
CMD ["node", "--import", "tsx", "src/main.ts"]
