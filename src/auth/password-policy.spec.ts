import { passwordProblem } from './password-policy';

describe('passwordProblem', () => {
  it.each(['          ', '\t\t\t\t\t     ', 'aaaaaaaaaa', '1111111111111', '$$$$$$$$$$'])('refuses %p: one repeated character or only whitespace', (pw) => {
    expect(passwordProblem(pw)).toMatch(/one repeated character|whitespace/);
  });

  it.each(['1234567890', '0987654321', 'qwertyuiop', 'QWERTYUIOP', 'password123', 'Password1234', 'abcdefghij', 'iloveyou123', 'abcabcabcabc', '1q2w3e4r5t', 'qwerty123456'])(
    'refuses the common password %p',
    (pw) => expect(passwordProblem(pw)).toMatch(/too common/),
  );

  it.each(['correct horse battery', 'Tr0ub4dor&3-x', 'a-long-unusual-phrase'])('accepts %p', (pw) => {
    expect(passwordProblem(pw)).toBeNull();
  });
});
