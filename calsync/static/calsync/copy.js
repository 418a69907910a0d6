// "Copier le lien": without JavaScript the link stays a read-only field to select and copy.
document.querySelectorAll("[data-copy-button]").forEach((button) => {
  const box = button.parentElement;
  const input = box.querySelector("[data-copy-source]");
  const status = box.querySelector("[data-copy-status]");
  button.hidden = false;
  button.addEventListener("click", async () => {
    input.select();
    try {
      await navigator.clipboard.writeText(input.value);
    } catch (error) {
      document.execCommand("copy");
    }
    status.textContent = button.dataset.copiedLabel;
  });
});
