/**
 * Moves a deployed table's step items to their new sort keys (scripts/migrations/step-keys.ts), once,
 * right after the deploy that brings the new layout:
 *
 *   npm run migrate:step-keys -- <table name>
 *
 * with the AWS credentials and region of the account (AWS_ENDPOINT_URL_DYNAMODB points it elsewhere).
 * `npm start` moves its own table's items when it starts. It prints how many items moved and which it
 * left alone, and exits with 1 when it left any.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { moveStepKeys } from './migrations/step-keys';

async function main(table: string): Promise<number> {
  const db = new DynamoDBClient({});
  // A large table takes many pages of its scan: a line every few seconds says it goes on.
  let said = Date.now();
  const progress = (moved: number) => {
    if (Date.now() - said < 5_000) return;
    said = Date.now();
    console.log(`${moved} step items moved so far`);
  };
  try {
    const result = await moveStepKeys(db, table, progress);
    console.log(`${result.moved} step items moved to their new keys in ${table}`);
    for (const { pk, sk } of result.conflicts)
      console.log(`left alone: ${pk} ${sk} (a different item is under its new key already)`);
    return result.conflicts.length > 0 ? 1 : 0;
  } finally {
    db.destroy();
  }
}

const table = process.argv[2] ?? process.env.TABLE_NAME;
if (!table) {
  console.error('usage: npm run migrate:step-keys -- <table name>   (or TABLE_NAME=<table name>)');
  process.exit(2);
}
main(table).then(
  (code) => process.exit(code),
  (error: Error) => {
    console.error(`${error.name}: ${error.message}`);
    process.exit(1);
  },
);
