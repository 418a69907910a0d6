// The site menu on small screens: behind a "Menu" button (the header wrapped to three lines).
// Without JavaScript the button stays hidden and the menu shows, as on a desktop.
(function () {
  'use strict';
  const header = document.querySelector('.site-header');
  const button = header && header.querySelector('.menu-button');
  if (!button) { return; }
  header.classList.add('menu-ready');
  button.hidden = false;
  button.addEventListener('click', function () {
    const open = button.getAttribute('aria-expanded') !== 'true';
    button.setAttribute('aria-expanded', open ? 'true' : 'false');
    header.classList.toggle('menu-open', open);
  });
})();
