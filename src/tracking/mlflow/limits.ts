/** The limits an MLflow 3.6 server enforces (see docs/tracking.md). */
export const LIMITS = {
  keyLength: 250,
  paramValueLength: 6000,
  tagValueLength: 8000,
  experimentNameLength: 500,
  batchMetrics: 1000,
  batchParams: 100,
  batchTags: 100,
  batchEntities: 1000,
  searchMaxResults: 50000,
} as const;
