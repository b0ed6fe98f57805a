// The DataSource the TypeORM CLI uses (npm run migration:*). Its options come from the same
// builder as the app's TypeOrmModule: src/database/data-source-options.ts.
export { default } from './src/database/cli-data-source';
