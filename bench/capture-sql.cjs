// Preloaded into an API process by the benchmark (`node -r ./bench/capture-sql.cjs`): appends every
// statement the app sends to PostgreSQL, with its parameters, to $CAPTURE_SQL as JSON lines, so the
// database-ceiling runs replay exactly the SQL an endpoint ran.
const { appendFileSync } = require('node:fs');
const { Client } = require('pg');

const file = process.env.CAPTURE_SQL;
if (file) {
  const query = Client.prototype.query;
  Client.prototype.query = function (config, values, callback) {
    const text = typeof config === 'string' ? config : config?.text;
    const params = Array.isArray(values) ? values : config?.values;
    if (text) appendFileSync(file, `${JSON.stringify({ text, params: params ?? [] })}\n`);
    return query.call(this, config, values, callback);
  };
}
