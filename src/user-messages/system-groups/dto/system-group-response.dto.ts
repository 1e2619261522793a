import { ApiProperty } from '@nestjs/swagger';

/** A messaging group as the list shows it. */
export class SystemGroupResponseDto {
  @ApiProperty({ example: '0c82421d-1ca9-4b6a-b6bb-eb5ddcb79760' }) id: string;
  @ApiProperty({ example: 'Bimplus developers' }) name: string;
  @ApiProperty({ nullable: true, type: String, example: 'Group of Bimplus developers' }) description: string | null;
}

/** One messaging group with its members. */
export class SystemGroupDetailsResponseDto extends SystemGroupResponseDto {
  @ApiProperty({ type: String, isArray: true, example: ['61c9c325-52a2-21b5-47b6-0a06e7152ff9'], description: 'Member user ids' })
  usersIdList: string[];
}
