// Public surface of the pure API value helpers: quantities, selectors, names, times, JSON.

export {
  canonicalizeQuantityString,
  compareQuantities,
  formatQuantity,
  parseQuantity,
  quantityFromInt,
  quantityFromMillis,
  quantityMilliValue,
  quantityValue,
} from './quantity.js';
export type { Quantity, QuantityFormat } from './quantity.js';

export {
  everythingLabelSelector,
  isEverythingLabelSelector,
  labelValueMaxLength,
  matchesLabels,
  nothingLabelSelector,
  parseLabelSelector,
  requirementMatches,
  requirementToString,
  selectorFromLabelSelector,
  selectorFromSet,
  selectorToString,
  validateLabelKey,
  validateLabelValue,
} from './labels.js';
export type {
  LabelOperator,
  LabelRequirement,
  LabelSelector,
  LabelSelectorObject,
  LabelSelectorRequirementObject,
  LabelSelectorResult,
  Labels,
} from './labels.js';

export {
  escapeFieldValue,
  everythingFieldSelector,
  fieldSelectorExactValue,
  fieldSelectorLabels,
  fieldSelectorToString,
  matchesFields,
  parseFieldSelector,
  unescapeFieldValue,
} from './fields.js';
export type { FieldRequirement, FieldSelector, FieldSelectorResult } from './fields.js';

export {
  civilFromDays,
  daysFromCivil,
  formatMicroTime,
  formatTime,
  parseMicroTime,
  parseTime,
  timeMsMax,
  timeMsMin,
} from './time.js';

export { canonicalStringify, deepFreeze, isJsonSafe, toJsonSafe } from './canonical-json.js';
export type { JsonArray, JsonObject, JsonValue } from './canonical-json.js';

export {
  dns1035LabelMaxLength,
  dns1123LabelMaxLength,
  dns1123SubdomainMaxLength,
  emptyError,
  maxLenError,
  qualifiedNameMaxLength,
  regexError,
  validateDns1035Label,
  validateDns1123Label,
  validateDns1123Subdomain,
  validateQualifiedName,
} from './names.js';

export { compareGoStrings, goQuote, utf8ByteLength } from './go-format.js';
