# syntax=docker/dockerfile:1
# Multi-stage: build with the toolchain, run without it, as the unprivileged `node` user.

FROM node:20-bookworm-slim AS build
WORKDIR /app
# better-sqlite3 and bcrypt are native addons: built here, copied compiled.
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ \
 && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
# libs/resource-server is an npm workspace: npm ci needs its manifest (the image never uses the library).
COPY libs/resource-server/package.json ./libs/resource-server/
RUN npm ci
COPY tsconfig.json tsconfig.build.json nest-cli.json ./
COPY src ./src
# The server alone: `npm run build` also compiles the library and its example, which the image does not ship.
RUN npx nest build && npm prune --omit=dev

FROM node:20-bookworm-slim
ENV NODE_ENV=production HOST=0.0.0.0 PORT=3000
WORKDIR /app
COPY --from=build --chown=node:node /app/package.json ./
COPY --from=build --chown=node:node /app/node_modules ./node_modules
COPY --from=build --chown=node:node /app/dist ./dist
# SQLite (the default DATABASE_URL) writes under data/, with the generated key-encryption key (<database>.kek, 0600)
# unless SIGNING_KEY_ENCRYPTION_SECRET is set; PostgreSQL deployments never touch it.
RUN mkdir -p /app/data && chown node:node /app/data
USER node
EXPOSE 3000
HEALTHCHECK --interval=10s --timeout=3s --start-period=30s \
  CMD node -e "fetch('http://127.0.0.1:'+process.env.PORT+'/health').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
CMD ["node", "dist/main.js"]
