import { ValidateBy, ValidationOptions } from 'class-validator';
import { passwordProblem } from '../password-policy';

/** Refuses whitespace-only, one-character and common passwords, with the reason as the message. */
export function IsAcceptablePassword(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isAcceptablePassword',
      validator: {
        validate: (value: unknown) => typeof value !== 'string' || passwordProblem(value) === null,
        defaultMessage: (args) => (typeof args?.value === 'string' && passwordProblem(args.value)) || 'password is not acceptable',
      },
    },
    options,
  );
}
