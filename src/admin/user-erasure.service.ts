import { Injectable } from '@nestjs/common';
import { TokenService } from '../auth/token.service';
import { DomainError } from '../common/domain-error';
import { Transactions } from '../database/transactions';
import { UserErasureRepository } from '../directory/user-erasure.repository';
import { erasedUserTarget } from '../audit/audit.service';
import { ErasureReportDto } from './dto/lifecycle-response.dto';

/** Shown when the confirmation is missing: an operator learns what the call does before it does it. */
export const ERASE_CONFIRMATION_MESSAGE = 'erase: deleting a user erases the person and cannot be undone; confirm with ?erase=true (CLI: --confirm)';

/**
 * GDPR erasure of a user (Art. 17): everything that names the person goes, in one transaction, and the
 * operator gets a report of what was removed. Messages other people hold stay, without the person in them.
 */
@Injectable()
export class UserErasureService {
  constructor(
    private readonly erasure: UserErasureRepository,
    private readonly transactions: Transactions,
    private readonly tokens: TokenService,
  ) {}

  async erase(id: string, confirmed: boolean): Promise<ErasureReportDto> {
    if (!confirmed) throw new DomainError('INVALID', ERASE_CONFIRMATION_MESSAGE);
    const userId = id.toLowerCase();
    const counts = await this.transactions.run(async (tx) => {
      const user = await this.erasure.lockUser(tx, userId);
      if (!user) throw new DomainError('NOT_FOUND', 'User not found');
      return this.erasure.erase(tx, { id: userId, email: user.email, auditTarget: erasedUserTarget(userId) });
    });
    this.tokens.forgetOwner({ userId });
    return { erased: true, ...counts };
  }
}
