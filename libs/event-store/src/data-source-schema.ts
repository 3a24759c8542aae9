import { type DataSource } from 'typeorm';
import { assertSchemaName } from './schema-tables';

/** The service's schema, as configured on its TypeORM data source (`schema` option of the postgres driver). */
export function schemaOf(dataSource: DataSource): string {
  const options = dataSource.options;
  const schema = options.type === 'postgres' ? options.schema : undefined;
  assertSchemaName(schema, 'data source option schema');
  return schema;
}
