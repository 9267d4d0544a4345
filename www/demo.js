// The demo docs page's own script (demo.html): its theme toggle, and a count of Content-Security-Policy
// violations on <html data-csp-violations> (the browser test checks there is none). Not part of the widget.
document.addEventListener('securitypolicyviolation', () => {
  const root = document.documentElement;
  root.dataset.cspViolations = String(Number(root.dataset.cspViolations || 0) + 1);
});
document.addEventListener('DOMContentLoaded', () => {
  const button = document.getElementById('theme');
  button.addEventListener('click', () => {
    const dark = document.documentElement.dataset.theme !== 'dark';
    document.documentElement.dataset.theme = dark ? 'dark' : 'light';
    button.setAttribute('aria-pressed', String(dark));
    button.textContent = dark ? 'Light page' : 'Dark page';
  });
});
