// Starts the app. trunk would inject an inline <script>, which the page's Content-Security-Policy forbids;
// Trunk.toml's pattern_script loads this file instead and puts the hashed file names in data- attributes.
// Any CSP violation is counted on <html data-csp-violations> (the browser test checks there is none).
document.addEventListener('securitypolicyviolation', () => {
  const root = document.documentElement;
  root.dataset.cspViolations = String(Number(root.dataset.cspViolations || 0) + 1);
});
const tag = document.querySelector('script[data-js][data-wasm]');
const { default: init } = await import(tag.dataset.js);
await init({ module_or_path: tag.dataset.wasm });
