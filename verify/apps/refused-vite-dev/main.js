document.querySelector('#app').textContent = 'dashboard';
