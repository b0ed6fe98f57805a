/** The browser test (npm run test:browser): Swagger UI driven in Debian's headless Chromium. */
const base = require('./jest.config');

module.exports = { ...base, testRegex: ['test/browser/.*\\.browser-spec\\.ts$'] };
