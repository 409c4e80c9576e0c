// NestJS 12 ships ES modules only. Node 20 loads them through require(esm), but Jest's module
// runtime cannot (it needs Node 24.9+), so Jest gets them transpiled to CommonJS here.
const crypto = require('node:crypto');
const ts = require('typescript');

const OPTIONS = {
  module: ts.ModuleKind.CommonJS,
  target: ts.ScriptTarget.ES2022,
  allowJs: true,
  esModuleInterop: true,
  sourceMap: false,
};

const ESM_SYNTAX = /^\s*(import|export)[\s{*]|import\.meta/m;

module.exports = {
  process(source, filename) {
    if (!ESM_SYNTAX.test(source)) return { code: source };
    const cjsReady = source
      // CommonJS modules already have `require`; redeclaring it would be a syntax error.
      .replace(/const require = createRequire\(import\.meta\.url\);?/g, '')
      .replace(/import\.meta\.url/g, "require('node:url').pathToFileURL(__filename).href");
    return { code: ts.transpileModule(cjsReady, { compilerOptions: OPTIONS, fileName: filename }).outputText };
  },
  getCacheKey(source, filename) {
    return crypto.createHash('sha1').update('esm-to-cjs-1').update(filename).update(source).digest('hex');
  },
};
