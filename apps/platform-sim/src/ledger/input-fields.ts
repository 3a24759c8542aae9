import Decimal from 'decimal.js';
import { reject } from './platform-rejection';

/** Reads the platform's JSON input defensively: every refusal names the field, as the platform's own checks do. */
export type JsonObject = Record<string, unknown>;

export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function requireNode(input: JsonObject, node: string): JsonObject {
  const value = input[node];
  if (!isObject(value)) reject(`入参节点[${node}]不能为空`);
  return value;
}

/** Nodes that some clients send as an object and others as a one-element array (2302 `data`, 2401 `diseinfo`). */
export function requireRows(input: JsonObject, node: string): JsonObject[] {
  const value = input[node];
  const rows = Array.isArray(value) ? value : isObject(value) ? [value] : undefined;
  if (!rows || rows.length === 0) reject(`入参节点[${node}]不能为空`);
  rows.forEach((row, i) => {
    if (!isObject(row)) reject(`入参节点[${node}[${i}]]格式错误`);
  });
  return rows as JsonObject[];
}

export function optionalRows(input: JsonObject, node: string): JsonObject[] {
  return input[node] === undefined || input[node] === null ? [] : requireRows(input, node);
}

export function optionalString(row: JsonObject, field: string): string | undefined {
  const value = row[field];
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return String(value);
  return reject(`入参[${field}]格式错误`);
}

export function requireString(row: JsonObject, field: string, where = ''): string {
  const value = optionalString(row, field);
  if (value === undefined) reject(`入参[${where}${field}]不能为空`);
  return value;
}

/** Money and quantities arrive as JSON numbers or strings; both become Decimal without passing through float sums. */
export function requireDecimal(row: JsonObject, field: string, where = ''): Decimal {
  const value = row[field];
  if (value === undefined || value === null || value === '') reject(`入参[${where}${field}]不能为空`);
  if (typeof value !== 'number' && typeof value !== 'string') reject(`入参[${where}${field}]格式错误`);
  try {
    const amount = new Decimal(value);
    if (!amount.isFinite()) throw new Error('not finite');
    return amount;
  } catch {
    return reject(`入参[${where}${field}]不是有效数字：${String(value)}`);
  }
}
