export function render(items) {
  return `<h1>todo</h1><ul>${items.map((i) => `<li>${i}</li>`).join('')}</ul>`;
}
