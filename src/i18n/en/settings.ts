/** English texts of the Settings view. */
export const settings = {
  language: 'Language',
  languageSystem: 'As the browser',
};
