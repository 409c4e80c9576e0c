import { applyDecorators } from '@nestjs/common';
import { ApiProperty } from '@nestjs/swagger';
import { ArrayMaxSize, IsArray, IsString, MaxLength } from 'class-validator';
import { MAX_PATH_PATTERN_LENGTH } from '../path-patterns';
import { MAX_SHIELD_ENTRIES, Shields } from '../shield-rules';

/** Each list is required: a PUT replaces every list, so a list left out by mistake is an error, not a deletion. */
const ShieldList = (maxLength: number) => applyDecorators(IsArray(), ArrayMaxSize(MAX_SHIELD_ENTRIES), IsString({ each: true }), MaxLength(maxLength, { each: true }));

export class ShieldsDto implements Shields {
  @ApiProperty({
    type: [String],
    maxItems: MAX_SHIELD_ENTRIES,
    items: { type: 'string', maxLength: 64 },
    example: ['203.0.113.7', '198.51.100.0/24', '2001:db8::/32'],
    description: 'Events from these IPv4/IPv6 addresses and CIDR ranges are dropped. Answered normalised: host bits cleared, IPv4-mapped IPv6 as IPv4, IPv6 in RFC 5952 form.',
  })
  @ShieldList(64)
  ip_addresses!: string[];

  @ApiProperty({
    type: [String],
    maxItems: MAX_SHIELD_ENTRIES,
    items: { type: 'string', maxLength: 16 },
    example: ['RU'],
    description: 'Events geolocated to these countries (ISO 3166-1 alpha-2, any case; answered in upper case) are dropped.',
  })
  @ShieldList(16)
  countries!: string[];

  @ApiProperty({
    type: [String],
    maxItems: MAX_SHIELD_ENTRIES,
    items: { type: 'string', maxLength: MAX_PATH_PATTERN_LENGTH },
    example: ['/admin/**', '**/wp-login.php'],
    description: 'Events whose page path matches one of these are dropped. Start with / or *; ** matches anything, / included; * anything within one path segment; no * between two **. Case-sensitive, without the query string.',
  })
  @ShieldList(MAX_PATH_PATTERN_LENGTH)
  paths!: string[];

  @ApiProperty({
    type: [String],
    maxItems: MAX_SHIELD_ENTRIES,
    items: { type: 'string', maxLength: 2048 },
    example: ['example.com', '*.example.com'],
    description: 'When not empty, only events from these hostnames count; others are dropped (events naming no page are kept). *.example.com allows every subdomain of example.com, not example.com itself. Any case; answered in lower case.',
  })
  @ShieldList(2048)
  allowed_hostnames!: string[];
}
