# syntax=docker/dockerfile:1
# The production image: the compiled project (server and admin panel) with production
# dependencies only, run as the unprivileged `node` user. Configuration comes from the
# environment at run time (.env.example; production requires PUBLIC_URL and real secrets).
#   docker build -t ipam-events-cms .
# Node 20 is what the test suite runs on.
ARG NODE_IMAGE=node:20-bookworm-slim

# better-sqlite3 compiles from source when no prebuilt binary matches the platform.
FROM ${NODE_IMAGE} AS toolchain
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY package.json package-lock.json ./

FROM toolchain AS build
RUN npm ci --no-audit --no-fund
COPY . .
RUN NODE_ENV=production npm run build

FROM toolchain AS production-dependencies
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force

FROM ${NODE_IMAGE}
ENV NODE_ENV=production HOST=0.0.0.0 PORT=1337 STRAPI_TELEMETRY_DISABLED=true
WORKDIR /app
COPY --from=production-dependencies /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY package.json package-lock.json tsconfig.json favicon.png ./
COPY database/seeds ./database/seeds
COPY scripts ./scripts
COPY public ./public
# The only paths the server writes: local uploads (when no S3 bucket is configured) and .tmp.
RUN mkdir -p public/uploads .tmp && chown node:node public/uploads .tmp
USER node
EXPOSE 1337
# Liveness only (/_health never touches the database); load balancers probe /_ready.
HEALTHCHECK --interval=10s --timeout=3s --start-period=90s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 1337) + '/_health').then((r) => process.exit(r.status === 204 ? 0 : 1), () => process.exit(1))"]
# npm run start adds the production heap limit (package.json config.nodeOptions) and execs Strapi:
# npm forwards SIGTERM to it, and the server drains its requests before exiting.
CMD ["npm", "run", "start"]
