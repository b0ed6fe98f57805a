# Build stage: install everything, compile TypeScript (with the Swagger CLI plugin) and the dashboard.
FROM node:24-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json nest-cli.json ./
COPY src ./src
COPY ui ./ui
RUN npm run build && npm prune --omit=dev

# Runtime stage: production dependencies and compiled code only. COPY without --chown leaves the
# files to root (modes 644/755 from npm and nest build), so they
# are read-only for the runtime user: a compromised process cannot rewrite its own code or
# dependencies. No writable directory is needed: production requires DATABASE_URL (no embedded
# PostgreSQL), and logs go to stdout.
FROM node:24-bookworm-slim
ENV NODE_ENV=production PORT=3000 HOST=0.0.0.0
WORKDIR /app
COPY --from=build /app/package.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY --from=build /app/ui/dist ./ui/dist
USER node
EXPOSE 3000
HEALTHCHECK --interval=15s --timeout=3s --start-period=20s --retries=3 \
  CMD node -e "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/health/live').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
# node directly (not npm) so SIGTERM reaches the service and shutdown is graceful.
CMD ["node", "dist/main.js"]
