import { describe, expect, it } from 'vitest'
import { EMPTY_PLAN, readPlanForm, toFormValues, type PlanFormValues } from './plan-form-model.js'

const burst: PlanFormValues = {
  ...EMPTY_PLAN,
  name: 'Daily 5M',
  price: '50',
  duration: '1d',
  uploadLimit: '2M',
  downloadLimit: '5M',
  burst: true,
  burstRateUp: '4M',
  burstRateDown: '10M',
  burstThresholdUp: '1500k',
  burstThresholdDown: '4M',
  burstTime: '8',
}

describe('plan form model', () => {
  it('turns what the admin typed into the API body (cents, seconds, bits/s) and the router’s rate-limit string', () => {
    const r = readPlanForm(burst)
    expect(r).toEqual({
      ok: true,
      rateLimit: '2M/5M 4M/10M 1500k/4M 8/8',
      body: {
        name: 'Daily 5M',
        description: '',
        price: 5000,
        durationSeconds: 86_400,
        uploadLimit: 2_000_000,
        downloadLimit: 5_000_000,
        burstRateUp: 4_000_000,
        burstRateDown: 10_000_000,
        burstThresholdUp: 1_500_000,
        burstThresholdDown: 4_000_000,
        burstTime: 8,
        priority: null,
        dataQuota: null,
        accountTypes: ['HOTSPOT'],
        simultaneousUse: 1,
        isActive: true,
      },
    })
  })

  it('previews the plain limit while burst is off, and priority positionally', () => {
    expect(readPlanForm({ ...burst, burst: false }).rateLimit).toBe('2M/5M')
    expect(readPlanForm({ ...burst, burst: false, priority: '3' }).rateLimit).toBe('2M/5M 0/0 0/0 0/0 3')
  })

  it('puts the domain’s burst rule on the field the API would name', () => {
    const r = readPlanForm({ ...burst, burstRateDown: '4M', burstThresholdUp: '3M' })
    expect(r.ok).toBe(false)
    if (r.ok) return
    expect(r.errors).toEqual({
      burstRateDown: 'must be above the download limit',
      burstThresholdUp: 'must be above 0 and at most the upload limit, or bursting never starts',
    })
    // The string is still shown: the admin sees what they typed would mean.
    expect(r.rateLimit).toBe('2M/5M 4M/4M 3M/4M 8/8')
  })

  it('names every unreadable field', () => {
    const r = readPlanForm({
      ...EMPTY_PLAN,
      price: '-1',
      duration: 'soon',
      uploadLimit: 'fast',
      downloadLimit: '',
      priority: '9',
      dataQuotaMb: '0',
      accountTypes: [],
    })
    expect(r.ok).toBe(false)
    if (r.ok) return
    expect(r.errors).toEqual({
      name: 'required',
      price: 'the price in shillings, e.g. 50',
      durationSeconds: 'a duration like 30m, 1h, 1d or 30d',
      uploadLimit: 'a rate like 5M, 512k or 1500000',
      downloadLimit: 'required, e.g. 5M or 512k',
      priority: 'a whole number from 1 to 8',
      dataQuotaMb: 'megabytes above 0, or empty for unlimited',
      accountTypes: 'pick at least one',
    })
    expect(r.rateLimit).toBeNull()
  })

  it('asks for every burst field once burst is on', () => {
    const r = readPlanForm({ ...burst, burstThresholdDown: '', burstTime: '' })
    expect(r.ok ? {} : r.errors).toEqual({ burstThresholdDown: 'required, e.g. 5M or 512k', burstTime: 'seconds, e.g. 8' })
  })

  it('round-trips an existing plan through the form unchanged', () => {
    const r = readPlanForm(burst)
    if (!r.ok) throw new Error('fixture invalid')
    const again = readPlanForm(toFormValues(r.body))
    expect(again).toEqual(r)
  })
})
