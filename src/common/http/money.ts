import { ValidateBy, ValidationOptions } from 'class-validator';

/**
 * A finite amount with at most two decimal places. (class-validator's maxDecimalPlaces throws a
 * TypeError on numbers JavaScript prints in exponent form, such as 1e-7, which became a 500.)
 */
export function IsMoneyAmount(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isMoneyAmount',
      validator: {
        validate: (v: unknown) => typeof v === 'number' && Number.isFinite(v) && Math.abs(Math.round(v * 100) - v * 100) < 1e-6,
        defaultMessage: (args) => `${args?.property} must be a number with at most two decimal places`,
      },
    },
    options,
  );
}
