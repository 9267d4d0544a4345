import { render } from './todo.js';

const items = ['build the original image', 'build the rewritten one', 'compare'];
document.querySelector('#app').innerHTML = render(items);
