import { errorMessage, startupLogLevel } from './logging';

describe('errorMessage', () => {
  it('describes whatever was thrown in one line, Error or not', () => {
    expect(errorMessage(new Error('boom'))).toBe('boom');
    expect(errorMessage(undefined)).toBe('an operation failed without saying why (it gave undefined)');
    expect(errorMessage(null)).toBe('an operation failed without saying why (it gave null)');
    expect(errorMessage('text')).toBe('text');
    expect(errorMessage({ code: 7 })).toBe('{"code":7}');
    const circular: Record<string, unknown> = {};
    circular.self = circular;
    expect(errorMessage(circular)).toBe('[object Object]');
  });
});

describe('startupLogLevel', () => {
  it('shows the start-up lines at the default level, and hides them when asked for errors only', () => {
    expect(startupLogLevel('warn')).toBe('info');
    expect(startupLogLevel('info')).toBe('info');
    expect(startupLogLevel('debug')).toBe('debug');
    expect(startupLogLevel('error')).toBe('error');
  });
});
