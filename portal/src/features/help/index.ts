// "Paid but not online?", vouchers and returning customers: one chunk, loaded after first paint.
export { RecoverScreen } from './recover-screen.js'
export { VoucherScreen } from './voucher-screen.js'
export { ReturningScreen } from './returning-screen.js'
export { CodeScreen } from './code-screen.js'
