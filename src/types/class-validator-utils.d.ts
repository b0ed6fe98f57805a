// class-validator's token replacement ($property, $constraint1, …), not re-exported by its index.
declare module 'class-validator/cjs/validation/ValidationUtils' {
  export { ValidationUtils } from 'class-validator/types/validation/ValidationUtils';
}
