import { defineConfig } from 'drizzle-kit';

// `npm run db:generate` writes migrations into drizzle/; they are applied with migrate() at start-up.
export default defineConfig({
  dialect: 'sqlite',
  schema: './src/adapters/store/libsql/schema.ts',
  out: './drizzle',
});
