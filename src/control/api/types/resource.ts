// What a stored resource declares beside its schema: REST names, printer columns, field labels.

import type { JsonObject, JsonValue } from '../../store/types.js';
import type { ObjectSchema } from '../schema/schema.js';

export interface PrinterContext {
  /** Current time, for ages ("5m", "3 (2m ago)"). */
  nowMs: number;
}

/** A server-side Table column (metav1.TableColumnDefinition plus how to compute a cell). */
export interface PrinterColumn {
  name: string;
  type: 'string' | 'integer' | 'number' | 'boolean' | 'date';
  /** 'name' for the Name column (upstream sets it), else ''. */
  format: string;
  description: string;
  /** 0: always shown; 1: shown with `-o wide`. */
  priority: number;
  /** The field the cell comes from, when it is a plain field (documentation, OpenAPI). */
  jsonPath?: string;
  /** The cell as upstream's printer computes it. */
  value: (object: JsonObject, ctx: PrinterContext) => JsonValue;
}

export type Subresource = 'status' | 'binding' | 'eviction' | 'scale' | 'log' | 'exec' | 'finalize';

/** The declaration of a stored resource, from which the registry builds its ResourceType. */
export interface ResourceDeclaration {
  schema: ObjectSchema;
  plural: string;
  singular: string;
  shortNames: readonly string[];
  categories: readonly string[];
  subresources: readonly Subresource[];
  statusFields: readonly string[];
  /** Field-selector labels beyond metadata.name / metadata.namespace. */
  fieldLabels: Readonly<Record<string, (object: JsonObject) => string>>;
  printerColumns: readonly PrinterColumn[];
  tracksGeneration: boolean;
}
