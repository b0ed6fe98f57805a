// class-validator's token replacement ($property, $constraint1, …), not re-exported by its index.
declare module 'class-validator/cjs/validation/ValidationUtils' {
  export { ValidationUtils } from 'class-validator/types/validation/ValidationUtils';
}

// class-transformer's decorator metadata (@Type, @Transform, @Expose, @Exclude), not re-exported by its index.
declare module 'class-transformer/cjs/storage' {
  export { defaultMetadataStorage } from 'class-transformer/types/storage';
}
