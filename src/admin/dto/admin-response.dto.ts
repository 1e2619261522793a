import { ApiProperty } from '@nestjs/swagger';
import { AccountType, UserRole } from '../../directory/directory.enums';

export class AccountResponseDto {
  @ApiProperty({ type: 'integer', example: 1009 }) id: number;
  @ApiProperty({ enum: AccountType }) type: AccountType;
  @ApiProperty({ example: 'ACME Insurance' }) name: string;
  @ApiProperty({ nullable: true, type: String, example: null, description: 'The URL of its default webhook (PUT /admin/accounts/{id}/webhook)' }) webhookUrl: string | null;
}

export class RepresentationsResponseDto {
  @ApiProperty({ type: 'integer', example: 1009, description: 'The integrator account' }) accountId: number;
  @ApiProperty({ type: 'integer', isArray: true, example: [2, 5], description: 'Provider accounts it may act as with X-Service-Provider, in id order' })
  providerAccountIds: number[];
}

export class IssuedTokenDto {
  @ApiProperty({ example: '0b0c9a0e-6f0e-4a4e-9d55-0a2b3c4d5e6f', description: 'Token id, for revocation' }) id: string;
  @ApiProperty({ example: '9c1874a62c974dcfa75e0132c423a0889c1874a62c974dcfa75e0132c423a088', description: 'Shown once; only its hash is stored' })
  token: string;
}

export class CaseResponseDto {
  @ApiProperty({ type: 'integer', example: 7748 }) id: number;
  @ApiProperty({ example: '1e0abcb7-b94c-4072-a9c0-37072a1ef015' }) guid: string;
  @ApiProperty({ type: 'integer', example: 1009 }) partnerAccountId: number;
  @ApiProperty({ type: 'integer', example: 1010 }) providerAccountId: number;
  @ApiProperty({ example: '2017-07-26T14:02:02.170Z' }) createdAt: string;
}

export class UserResponseDto {
  @ApiProperty({ example: '1110ac3b-fa49-e540-ac2f-8caff3dd72ed' }) id: string;
  @ApiProperty({ example: 'customer1@bimplus.net' }) email: string;
  @ApiProperty({ nullable: true, type: String }) name: string | null;
  @ApiProperty({ enum: UserRole }) role: UserRole;
}

export class GroupResponseDto {
  @ApiProperty({ example: '5e1f0000-0000-4000-8000-000000000001' }) id: string;
  @ApiProperty({ example: 'Support team' }) name: string;
  @ApiProperty({ nullable: true, type: String, example: 'First-level support' }) description: string | null;
  @ApiProperty({ type: [String] }) memberIds: string[];
}

export class RevokedTokenDto {
  @ApiProperty() id: string;
  @ApiProperty({ example: true }) revoked: boolean;
}
