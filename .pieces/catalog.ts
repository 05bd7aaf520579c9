export { services } from '/work/main/workflows/catalog';
