import { Controller, Get, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiErrors } from '../common/api-responses';
import { SearchQueryDto } from './dto/search-query.dto';
import { SearchPageDto } from './dto/search-response.dto';
import { SearchService } from './search.service';
import { SEARCH_CANDIDATES } from './search-window';

@ApiTags('search')
@Controller('api')
export class SearchController {
  constructor(private readonly searchService: SearchService) {}

  @Get('search')
  @ApiOperation({
    summary: 'Search transcriptions and analysis results',
    description:
      'Full-text search (web-search syntax) over transcription text, stemmed by each transcription’s language, ' +
      'and over analysis summaries and detailed analyses (English). Best hits first among the newest ' +
      `${SEARCH_CANDIDATES.toLocaleString('en')} matches by creation time: a query that matches more ranks ` +
      'only those and answers `capped: true` (`created_before` reaches older ones). Keyset paging through ' +
      '`cursor`: the first page fixes which matches are ranked, so later pages neither repeat nor skip one ' +
      'while rows are inserted.',
  })
  @ApiOkResponse({ type: SearchPageDto })
  @ApiErrors(400)
  search(@Query() query: SearchQueryDto) {
    return this.searchService.search(query);
  }
}
