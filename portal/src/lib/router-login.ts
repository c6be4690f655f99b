/**
 * Logging the device in: the portal posts the router's own login form to `link-login-only` — `username`,
 * `password` (HTTP-CHAP hashed when the router sent a challenge, as MikroTik's login.html does) and `dst`, the
 * page the router opens after a successful login (our "online" screen).
 */
import { chapLoginPassword } from './chap.js'
import type { RouterLogin } from './purchase-flow.js'
import type { RouterContext } from './router-params.js'

/** The form fields, exactly as the router's stock login.html would post them. */
export function routerLoginFields(router: RouterContext, login: RouterLogin, dst: string): Record<string, string> {
  const chap = router.chapId && router.chapChallenge
  return {
    username: login.username,
    password: chap ? chapLoginPassword(router.chapId!, login.password, router.chapChallenge!) : login.password,
    dst,
    popup: 'false',
  }
}

/** Posts the login form to the router; the browser leaves the portal for the router's answer. */
export function submitRouterLogin(router: RouterContext, login: RouterLogin, dst: string): void {
  const form = document.createElement('form')
  form.method = 'post'
  form.action = router.linkLoginOnly
  form.hidden = true
  for (const [name, value] of Object.entries(routerLoginFields(router, login, dst))) {
    const input = document.createElement('input')
    input.type = 'hidden'
    input.name = name
    input.value = value
    form.appendChild(input)
  }
  document.body.appendChild(form)
  form.submit()
}
