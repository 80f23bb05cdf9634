/** Public surface of codegen: the only way mapc builds JavaScript. */
export {
  Code,
  Name,
  js,
  literal,
  prop,
  property,
  propertyKey,
  isIdentifierName,
  join,
  nil,
  newline,
  indent,
  commentText,
  lineComment,
  blockComment,
} from './code';
export { skeleton } from './skeleton';
