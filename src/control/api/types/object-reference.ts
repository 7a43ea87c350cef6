// core/v1 ObjectReference: a reference to any object (events, endpoints, bindings).

import { obj, str } from '../schema/schema.js';

export const objectReferenceSchema = obj('ObjectReference', 'A reference to an object.', {
  kind: str('Kind of the referent.'),
  namespace: str('Namespace of the referent.'),
  name: str('Name of the referent.'),
  uid: str('UID of the referent.', { goName: 'UID' }),
  apiVersion: str('API version of the referent.', { goName: 'APIVersion' }),
  resourceVersion: str('Resource version of the referent.'),
  fieldPath: str('A part of the object, e.g. spec.containers{web}.'),
});
